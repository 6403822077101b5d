// Which seeds a chaos test runs: a fixed range by default, or the ones named in
// an override (CHAOS_SEEDS=1007,1012 in the repository's tests) to rerun a
// failing seed: the server then makes the same choices again.
import { CHAOS_SEEDS_OPTIONS } from './chaos-option-names.js';
import { checkOptionNames } from './option-names.js';

/** Options of {@link chaosSeeds}. */
export interface ChaosSeedsOptions {
  /** The first seed of the default range. */
  first: number;
  /** How many seeds the default range holds. */
  count: number;
  /** Comma-separated seeds that replace the range when given and not blank (pass an environment variable). */
  override?: string | undefined;
}

/**
 * The seeds to run: `override`'s, or `count` seeds from `first` on.
 *
 * @throws RangeError when an entry of `override` is not an integer
 *
 * @example
 * const seeds = chaosSeeds({ first: 1000, count: 40, override: process.env.CHAOS_SEEDS });
 * it.each(seeds)('seed %i', (seed) => checkSeed(seed));
 */
export function chaosSeeds(options: ChaosSeedsOptions): number[] {
  checkOptionNames('chaosSeeds', options, CHAOS_SEEDS_OPTIONS);
  const { first, count, override } = options;
  if (override === undefined || override.trim() === '') return Array.from({ length: count }, (_, index) => first + index);
  const entries = override.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return entries.map((entry) => {
    if (!/^-?\d+$/.test(entry)) throw new RangeError(`chaos seeds ${JSON.stringify(override)}: ${JSON.stringify(entry)} is not an integer`);
    return Number(entry);
  });
}
