// How something a client delivered is traced back to the chaos ledger: every
// chaos event carries a tag (`tag:c2e5`) in its data, except a delete, whose
// payload is a bare id; the final status also carries CHAOS_FINAL_MARKER.
import type { ChaosLedger } from './chaos-ledger.js';

/**
 * In the content of the status that ends a run ({@link ChaosLedger.finalStatusId}),
 * for a client that cannot read the ledger while it runs (another process, a browser).
 *
 * @example
 * if (event.event === 'update' && event.payload.content.includes(CHAOS_FINAL_MARKER)) break;
 */
export const CHAOS_FINAL_MARKER = 'chaos:final';

/**
 * The tag a chaos event carries somewhere in its data or content (`tag:c2e5`):
 * connection 2, event 5 of {@link ChaosLedger.connections}.
 *
 * @example
 * findChaosTag(status.content) // 'c2e5'
 */
export function findChaosTag(text: string): string | undefined {
  return /\btag:(c\d+e\d+)/.exec(text)?.[1];
}

/**
 * The tag of the event that carried `id` (a status id or a deleted id; see
 * {@link ChaosLedger.idOfTag}), or `undefined` for an id no streamed event
 * carried. A `delete` payload is a bare id with no room for a tag, so this is
 * how a delete is placed in its connection.
 *
 * @example
 * // An unknown or malformed event has no payload to read a tag from; its text still carries it.
 * const tag = event.event === 'delete' ? findChaosTagOfId(chaos.ledger, event.payload) : findChaosTag(JSON.stringify(event));
 */
export function findChaosTagOfId(ledger: ChaosLedger, id: string): string | undefined {
  for (const [tag, taggedId] of ledger.idOfTag) if (taggedId === id) return tag;
  return undefined;
}
