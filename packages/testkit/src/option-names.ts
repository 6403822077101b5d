/**
 * The one rule for the names in every options object the testkit takes (`createFakeMastodon`'s,
 * a method's, the chaos server's and oracle's): a name the options type does not have is refused
 * with a TypeError at the call (an async call rejects), naming it and, when one is close, the
 * name that was probably meant. A misspelt option would otherwise be dropped without a word, and
 * the test would run on the default: passing, or failing, for the wrong reason.
 *
 * - Only own enumerable properties count: a name a polluted `Object.prototype` carries is not the
 *   caller's mistake.
 * - An unknown name is refused whatever its value, `undefined` included: no options type has it,
 *   so nothing says `undefined` means "left out" there.
 * - A known name set to `undefined` is left out where the type allows `undefined` (every optional
 *   option does), and refused where it does not (a required option such as the chaos server's
 *   `seed`), as is a required option not given at all.
 *
 * Nothing here imports a `node:*` module: the chaos oracle (`@tootstream/testkit/ledger`) uses it.
 */
import { shown } from './durations.js';

/**
 * The table of an options type's names: each name marked `'required'` or `'optional'` exactly
 * as the type has it. A table written `{ … } satisfies OptionNames<SomeOptions>` stops compiling
 * when an option is added to the type but not to the table (or the other way round), so the
 * runtime check can never refuse a real option.
 *
 * @example
 * const RESTART_OPTIONS = { downMs: 'optional' } as const satisfies OptionNames<{ downMs?: number | undefined }>;
 */
export type OptionNames<Options> = {
  readonly [Name in keyof Options]-?: undefined extends Options[Name] ? 'optional' : 'required';
};

/** A table of names as {@link checkOptionNames} reads it, whatever options type it was written for. */
export type OptionNameTable = Readonly<Record<string, 'optional' | 'required'>>;

/**
 * Throws a TypeError unless `options` is an object whose own names are all in `names` and whose
 * required options are given (not `undefined`). `call` names the call as the testkit's other
 * argument errors do (`'FakeMastodon.restart'`); `where` is the path of a nested options object
 * (`"viewers['1001']"`), left out at the top.
 *
 * @example
 * checkOptionNames('FakeMastodon.restart', options, RESTART_OPTIONS);
 * // FakeMastodon.restart: unknown option 'downms' (did you mean 'downMs'?)
 */
export function checkOptionNames(call: string, options: unknown, names: OptionNameTable, where?: string): void {
  const known = Object.keys(names);
  const place = where === undefined ? '' : ` in ${where}`;
  // `restart(500)` or `waitForRequest(predicate, 100)` would otherwise read no option at all and run on the defaults.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${call}: ${where ?? 'options'} must be an object with the options ${known.join(', ')}, got ${Array.isArray(options) ? 'an array' : shown(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(names, name)) continue;
    const near = nearestName(name, known);
    const hint = near === undefined ? `known options: ${known.join(', ')}` : `did you mean '${near}'?`;
    throw new TypeError(`${call}: unknown option '${name}'${place} (${hint})`);
  }
  for (const name of known) {
    if (names[name] === 'required' && (options as Record<string, unknown>)[name] === undefined) {
      throw new TypeError(`${call}: option '${name}'${place} is required (it has no default), got undefined`);
    }
  }
}

/**
 * {@link checkOptionNames} for an optional options argument: `undefined` (none given) passes, as
 * the call then takes every default.
 *
 * @example
 * checkOptionalOptionNames('FakeMastodon.stall', options, STALL_OPTIONS);
 */
export function checkOptionalOptionNames(call: string, options: unknown, names: OptionNameTable, where?: string): void {
  if (options !== undefined) checkOptionNames(call, options, names, where);
}

/**
 * The known name `given` was most likely meant to be, if one is close: letter case, `_` and `-`
 * ignored (so snake case finds its camel-case name), then at most one edit (a letter added,
 * dropped, changed, or two swapped) per three letters of the longer name, and never more than
 * three (so a unit left off, `caughtUp` for `caughtUpIds`, is still found).
 *
 * @example
 * nearestName('heartbeat_interval_ms', ['port', 'heartbeatIntervalMs']) // 'heartbeatIntervalMs'
 */
export function nearestName(given: string, known: readonly string[]): string | undefined {
  const wanted = comparable(given);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = comparable(name);
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3)));
    const distance = editDistance(wanted, candidate);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Edits between two names (Damerau–Levenshtein, optimal string alignment): a swapped pair of letters is one typo, not two. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      row[j] = distance;
    }
  }
  return at(a.length, b.length);
}
