/**
 * The favourites accounts made through `POST /api/v1/statuses/:id/favourite` (Mastodon's
 * `favourites` table: one row per account and status), which renderings for a reader read as
 * `favourited` (Account#favourited?, app/models/concerns/account/interactions.rb:169-171).
 *
 * @example
 * favourites.add('1002', status.id) // true; again: false
 */
export class Favourites {
  private readonly byAccount = new Map<string, Set<string>>();

  /** Records the favourite; false when the account had already favourited the status. */
  add(accountId: string, statusId: string): boolean {
    const statuses = this.byAccount.get(accountId) ?? new Set<string>();
    this.byAccount.set(accountId, statuses);
    if (statuses.has(statusId)) return false;
    statuses.add(statusId);
    return true;
  }

  /** Removes the favourite; false when there was none. */
  remove(accountId: string, statusId: string): boolean {
    return this.byAccount.get(accountId)?.delete(statusId) ?? false;
  }

  has(accountId: string, statusId: string): boolean {
    return this.byAccount.get(accountId)?.has(statusId) ?? false;
  }
}
