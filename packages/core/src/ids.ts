/**
 * Mastodon ids are decimal strings that may exceed 2^53, so they are compared
 * as big integers by length first and then lexicographically; never as numbers.
 *
 * @example
 * ```ts
 * statuses.sort((a, b) => compareIds(a.id, b.id)); // oldest first
 * ```
 */
export const compareIds = (left: string, right: string): number => {
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  return left < right ? -1 : left > right ? 1 : 0;
};

/** The larger of two ids; `undefined` counts as smaller than any id. */
export const maxId = (current: string | undefined, candidate: string): string =>
  current === undefined || compareIds(candidate, current) > 0 ? candidate : current;

/**
 * The smallest status id Mastodon could assign at `epochMs`. Status ids are
 * `milliseconds << 16 | sequence`, so this is a valid `min_id` for "everything
 * posted after this moment" when no status has been seen yet.
 */
export const statusIdAt = (epochMs: number): string => (BigInt(Math.max(0, Math.floor(epochMs))) << 16n).toString();
