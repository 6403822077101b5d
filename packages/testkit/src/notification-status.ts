import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { compareIds } from './snowflake.js';

// Notification#target_status of these types is the recipient's own status: the one favourited,
// or the original a boost points at (`activity.reblog`), not the sender's boost.
const RECIPIENT_STATUS_TYPES = new Set(['favourite', 'reblog']);

/**
 * True for notification types whose `status` is the recipient's own (`favourite`, `reblog`);
 * the other status-bearing types (`mention`, `status`, `update`, `poll`, `quote`, …) carry a
 * status by the sender.
 *
 * @example
 * carriesRecipientStatus('favourite') // true
 * carriesRecipientStatus('mention') // false
 */
export function carriesRecipientStatus(type: string): boolean {
  return RECIPIENT_STATUS_TYPES.has(type);
}

// Others can favourite and boost public and unlisted statuses; a private one only its author
// can boost, a direct one nobody.
const INTERACTABLE = new Set(['public', 'unlisted']);

/**
 * The recipient's newest stored status another account can favourite or boost: its own (not a
 * boost), public or unlisted. Undefined when it has none, and the fake makes one up instead.
 *
 * @example
 * newestInteractableStatus(store, '1001')?.account.id // '1001'
 */
export function newestInteractableStatus(store: ContentStore, accountId: string): StatusJson | undefined {
  let newest: StatusJson | undefined;
  for (const { status } of store.statusesBy(accountId)) {
    if ((status['reblog'] ?? null) !== null || !INTERACTABLE.has(status.visibility)) continue;
    if (newest === undefined || compareIds(status.id, newest.id) > 0) newest = status;
  }
  return newest;
}
