import { compareIds } from './snowflake.js';

// Statuses and notifications reach the fake as loose JSON (tests pass partial objects), so the
// accounts they involve are read defensively: a missing or odd field involves nobody.

/**
 * The `id` of an account object, if it has a string one.
 *
 * @example
 * accountIdOf({ id: '1002', acct: 'bob' }) // '1002'
 */
export function accountIdOf(account: unknown): string | undefined {
  if (account === null || typeof account !== 'object') return undefined;
  const id = (account as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * The domain part of an account's `acct`; undefined for a local account.
 *
 * @example
 * domainOfAccount({ acct: 'carol@remote.example' }) // 'remote.example'
 */
export function domainOfAccount(account: unknown): string | undefined {
  if (account === null || typeof account !== 'object') return undefined;
  const acct = (account as Record<string, unknown>)['acct'];
  return typeof acct === 'string' ? acct.split('@')[1] : undefined;
}

/**
 * The ids of the accounts a status mentions.
 *
 * @example
 * mentionIdsOf({ mentions: [{ id: '1003' }] }) // ['1003']
 */
export function mentionIdsOf(status: Record<string, unknown>): string[] {
  const mentions = Array.isArray(status['mentions']) ? status['mentions'] : [];
  return mentions.flatMap((mention) => accountIdOf(mention) ?? []);
}

/**
 * The status a boost points at, or undefined for a status that is not a boost.
 *
 * @example
 * boostedStatusOf(server.postStatus({ reblog: original })) // original
 */
export function boostedStatusOf(status: Record<string, unknown>): Record<string, unknown> | undefined {
  const boosted = status['reblog'];
  return boosted !== null && typeof boosted === 'object' ? (boosted as Record<string, unknown>) : undefined;
}

/**
 * The id of the status a boost boosts (its `reblog_of_id`), or undefined for a status that is no boost.
 *
 * @example
 * boostedIdOf(boost) // '109348'
 */
export function boostedIdOf(status: Record<string, unknown> | undefined): string | undefined {
  const id = status === undefined ? undefined : boostedStatusOf(status)?.['id'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * Whether FeedManager's `clear_from_home`/`clear_from_list` take the status out of a feed when
 * its owner blocks or mutes `accountId`: the account wrote or boosted it, is mentioned in it,
 * wrote the status it boosts, or is mentioned there. The owner's own statuses are not spared.
 *
 * @example
 * involvesAccount(boostOfBobByCarol, '1002') // true
 */
export function involvesAccount(status: Record<string, unknown>, accountId: string): boolean {
  const boosted = boostedStatusOf(status);
  const parties = [accountIdOf(status['account']), ...mentionIdsOf(status)];
  if (boosted) parties.push(accountIdOf(boosted['account']), ...mentionIdsOf(boosted));
  return parties.includes(accountId);
}

/**
 * Ids in ascending snowflake order, the order the fake sends the `delete`s of a cleared feed in.
 *
 * @example
 * oldestFirst(['3', '10', '2']) // ['2', '3', '10']
 */
export function oldestFirst(ids: Iterable<string>): string[] {
  return [...ids].sort(compareIds);
}
