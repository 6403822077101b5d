import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import type { AccountJson } from './identities.js';
import { domainOfAccount } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';
import { refreshCopiesOf } from './count-copies.js';

// Favourite and Status keep counter caches: creating a favourite or a boost raises the status's
// `favourites_count` or `reblogs_count` in the database. Nothing is streamed for it (FavouriteService
// and ReblogService publish no status.update); the next rendering of the status shows the count.
const RAISED_COUNT: Readonly<Record<string, 'favourites_count' | 'reblogs_count'>> = {
  favourite: 'favourites_count',
  reblog: 'reblogs_count',
};

/** Who interacts with whose status, and how (the notification's type). */
export interface Interaction {
  type: string;
  from: AccountJson;
  /** The status's author, who gets the notification. */
  recipientId: string;
}

// StatusPolicy#favourite?/#reblog? refuse when the author blocks the sender or its domain
// (`show?`) or the sender blocks the author (`blocking_author?`): no favourite, nothing counted.
function policyRefuses(interaction: Interaction, viewers: ViewerDirectory): boolean {
  const author = viewers.settingsOf(interaction.recipientId);
  const domain = domainOfAccount(interaction.from);
  if (author.blocks.includes(interaction.from.id)) return true;
  if (domain !== undefined && author.domainBlocks.includes(domain)) return true;
  return viewers.settingsOf(interaction.from.id).blocks.includes(interaction.recipientId);
}

function raised(status: StatusJson, key: 'favourites_count' | 'reblogs_count'): StatusJson {
  const count = typeof status[key] === 'number' ? status[key] : 0;
  return { ...status, [key]: count + 1 };
}

/**
 * Counts a `favourite` or `reblog` on the status it is about and returns the status the
 * notification carries: a stored status has its count raised in the store (REST shows it from
 * then on, and so do the copies of it the fake holds: {@link refreshCopiesOf}); one made up for
 * the notification carries the raised count; one the test passed without storing it is left as
 * given. Other types, and interactions StatusPolicy refuses (a
 * block either way), change nothing; a mute does not stop the favourite, only its notification.
 *
 * @example
 * recordInteraction(store, viewers, { type: 'favourite', from: bob, recipientId: '1001' }, status, { madeUp: false })
 * // the stored status now has favourites_count + 1
 */
export function recordInteraction(
  store: ContentStore,
  viewers: ViewerDirectory,
  interaction: Interaction,
  status: StatusJson,
  origin: { madeUp: boolean },
): StatusJson {
  const key = RAISED_COUNT[interaction.type];
  if (key === undefined || policyRefuses(interaction, viewers)) return status;
  const stored = store.getStatus(status.id);
  if (stored) {
    stored.status = raised(stored.status, key);
    refreshCopiesOf(stored.status, store, viewers);
    return stored.status;
  }
  return origin.madeUp ? raised(status, key) : status;
}

/**
 * Lowers a stored status's `favourites_count` or `reblogs_count` by one (never below 0), as the
 * counter cache does when a favourite or a boost is destroyed, and refreshes the copies of it the
 * fake holds ({@link refreshCopiesOf}). A status no longer stored is left alone.
 *
 * @example
 * lowerCount(store, viewers, status.id, 'reblogs_count') // after its boost is gone
 */
export function lowerCount(store: ContentStore, viewers: ViewerDirectory, statusId: string, key: 'favourites_count' | 'reblogs_count'): void {
  const stored = store.getStatus(statusId);
  if (!stored) return;
  const count = typeof stored.status[key] === 'number' ? stored.status[key] : 0;
  stored.status = { ...stored.status, [key]: Math.max(count - 1, 0) };
  refreshCopiesOf(stored.status, store, viewers);
}
