import type { StatusJson } from './entity-json.js';
import { boostedIdOf } from './status-parties.js';

/**
 * Which accounts hold a boost of which statuses (Mastodon's `statuses.reblog_of_id` rows), kept by
 * the ContentStore as boosts are stored and removed, whatever made them (REST, `postStatus`, a
 * delete). Renderings read it as `reblogged`: REST::StatusSerializer asks whether the reader has
 * a boost of the status (Account#reblogged?, app/models/concerns/account/interactions.rb:177-179,
 * or StatusRelationshipsPresenter's reblogs map for a list), not whether the status in hand is one.
 *
 * @example
 * boosts.added(boost); boosts.has('1002', boost.reblog.id) // true
 */
export class BoostIndex {
  /** Boosted status id → booster id → the booster's boost ids (the fake lets a test script two). */
  private readonly byStatus = new Map<string, Map<string, Set<string>>>();

  /** A status was stored; a boost is indexed by what it boosts. */
  added(status: StatusJson): void {
    const key = keyOf(status);
    if (!key) return;
    const boosters = this.byStatus.get(key.boostedId) ?? new Map<string, Set<string>>();
    this.byStatus.set(key.boostedId, boosters);
    boosters.set(key.boosterId, (boosters.get(key.boosterId) ?? new Set<string>()).add(status.id));
  }

  /** A status was removed from the store. */
  removed(status: StatusJson): void {
    const key = keyOf(status);
    const boosters = key && this.byStatus.get(key.boostedId);
    const boosts = key && boosters?.get(key.boosterId);
    if (!key || !boosters || !boosts) return;
    boosts.delete(status.id);
    if (boosts.size === 0) boosters.delete(key.boosterId);
    if (boosters.size === 0) this.byStatus.delete(key.boostedId);
  }

  /** Whether the account holds a boost of the status. */
  has(accountId: string, statusId: string): boolean {
    return (this.byStatus.get(statusId)?.get(accountId)?.size ?? 0) > 0;
  }
}

function keyOf(status: StatusJson): { boostedId: string; boosterId: string } | undefined {
  const boostedId = boostedIdOf(status);
  const boosterId = (status.account as { id?: unknown } | null | undefined)?.id;
  return typeof boostedId === 'string' && typeof boosterId === 'string' ? { boostedId, boosterId } : undefined;
}
