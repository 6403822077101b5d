/**
 * Compares two decimal id strings as big integers: longer string = larger, equal length →
 * lexicographic. Ids may exceed 2^53, so they are never converted to `number`.
 *
 * @example
 * compareIds('117693793801674262', '99') // 1
 */
export function compareIds(a: string, b: string): number {
  const left = stripLeadingZeros(a);
  const right = stripLeadingZeros(b);
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

function stripLeadingZeros(id: string): string {
  const stripped = id.replace(/^0+(?=\d)/, '');
  return stripped;
}

/**
 * Generates Mastodon-style status ids: `ms_since_epoch * 2^16 + sequence`, strictly increasing
 * even within one millisecond, so REST pagination by id matches creation order.
 *
 * @example
 * const ids = new SnowflakeGenerator();
 * ids.next(Date.parse('2026-11-28T11:19:33Z')) // '117693793801650176'-like
 */
export class SnowflakeGenerator {
  private last = 0n;

  next(timestampMs: number = Date.now()): string {
    const candidate = BigInt(Math.floor(timestampMs)) << 16n;
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last.toString();
  }

  /**
   * A test gave a status this id: ids issued later stay above it, so none equals it (Mastodon never issues one
   * id twice). An id below the last issued (a late status) changes nothing.
   */
  taken(id: string): void {
    if (/^\d{1,30}$/.test(id) && BigInt(id) > this.last) this.last = BigInt(id);
  }
}
