// What the ledger says about each streaming connection: which events it wrote
// whole, in what order, and how it ended. A client must deliver each
// connection's events in order; only a connection cut mid-event may lose its tail.
import type { ChaosLedger } from './chaos-ledger.js';
import { showValue, type ChaosViolation } from './chaos-violations.js';
import { CHAOS_CONNECTION_ORDER_OPTIONS } from './chaos-option-names.js';
import { checkOptionNames } from './option-names.js';

/** Options of {@link checkChaosConnectionOrder}. */
export interface ChaosConnectionOrderOptions {
  /**
   * Ids a catch-up delivered before they streamed. A client that dedupes rightly
   * drops those events when they stream, so they are not expected live.
   * Default: none (a client without catch-up or dedupe).
   */
  caughtUpIds?: Iterable<string> | undefined;
}

/**
 * Checks that each connection's events arrived live in the order the server
 * wrote them, none missing and none extra; a connection cut mid-event (`drop`)
 * may lose its tail (fetch discards what it still queued when a body errors).
 *
 * `liveTags` are the tags of what the client handed its consumer from the
 * stream, in that order: events and malformed-event reports alike (see
 * {@link findChaosTag} and {@link findChaosTagOfId}). `undefined` entries
 * (something without a tag) are skipped.
 *
 * @returns one `connection-order` violation per connection that differs; `[]` when all are right
 *
 * @example
 * const liveTags = delivered.map((event) =>
 *   event.event === 'delete' ? findChaosTagOfId(chaos.ledger, event.payload) : findChaosTag(JSON.stringify(event)),
 * );
 * assertNoChaosViolations(checkChaosConnectionOrder(chaos.ledger, liveTags, { caughtUpIds }));
 */
export function checkChaosConnectionOrder(
  ledger: ChaosLedger,
  liveTags: Iterable<string | undefined>,
  options: ChaosConnectionOrderOptions = {},
): ChaosViolation[] {
  checkOptionNames('checkChaosConnectionOrder', options, CHAOS_CONNECTION_ORDER_OPTIONS);
  const caughtUp = new Set(options.caughtUpIds ?? []);
  const tags = [...liveTags].filter((tag) => tag !== undefined);
  return ledger.connections.flatMap((connection, index) => {
    const expected = connection.written.filter((tag) => !caughtUp.has(ledger.idOfTag.get(tag) ?? ''));
    const seen = tags.filter((tag) => tag.startsWith(`c${index}e`));
    const mayLoseTail = connection.ending === 'drop';
    const wanted = mayLoseTail ? expected.slice(0, seen.length) : expected;
    if (seen.length === wanted.length && seen.every((tag, position) => tag === wanted[position])) return [];
    const what = mayLoseTail ? `${showValue(expected)} or a prefix of it` : showValue(expected);
    return [{ rule: 'connection-order', message: `connection c${index} (${connection.ending}): expected ${what}, got ${showValue(seen)}`, expected: wanted, actual: seen }];
  });
}

/**
 * How many times the server interrupted the client other than by a clean end:
 * connections cut, stalled or overflowed, and requests refused (a 429 or 5xx,
 * or the final 401). A client that reports each interruption once (the
 * listener's `onAbort`) reports exactly this many.
 *
 * @example
 * expect(recorder.count('onAbort')).toBe(countChaosInterruptions(chaos.ledger));
 */
export function countChaosInterruptions(ledger: ChaosLedger): number {
  const broken = ledger.connections.filter(({ ending }) => ending === 'drop' || ending === 'stall' || ending === 'oversize').length;
  // The server scripts each refusal as `refused <status>`, or `final 401` for the last connection.
  const refused = ledger.script.filter((line) => line.startsWith('refused') || line === 'final 401').length;
  return broken + refused;
}
