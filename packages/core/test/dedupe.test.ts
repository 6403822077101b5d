import { describe, expect, it } from 'vitest';
import { dedupeCache, eventDeduplicator, type DedupeCache } from '../src/dedupe.js';
import type { MastodonEvent } from '../src/events.js';

/** How many of the keys `${prefix}0` … `${prefix}${count - 1}` the cache still knows (it has no size of its own: nothing else needs one). */
const rememberedOf = (cache: DedupeCache, count: number, prefix: string) => Array.from({ length: count }, (_, index) => `${prefix}${index}`).filter((key) => cache.has(key)).length;

describe('DedupeCache', () => {
  it('reports duplicates', () => {
    const cache = dedupeCache(3);
    expect(['a', 'b', 'a', 'c', 'b'].map((key) => cache.remember(key))).toEqual([true, true, false, true, false]);
  });

  it('always remembers at least the last `capacity` keys and never more than twice as many', () => {
    for (const capacity of [1, 2, 3, 7, 100]) {
      const cache = dedupeCache(capacity);
      for (let index = 0; index < 5 * capacity + 3; index++) {
        expect(cache.remember(`k${index}`)).toBe(true);
        for (let back = 0; back < Math.min(capacity, index + 1); back++) expect(cache.has(`k${index - back}`), `capacity ${capacity}, key ${index - back} after ${index}`).toBe(true);
        expect(rememberedOf(cache, index + 1, 'k')).toBeLessThanOrEqual(2 * capacity);
        if (index >= 2 * capacity) expect(cache.has(`k${index - 2 * capacity}`)).toBe(false);
      }
    }
  });

  it('stays bounded over a long run', () => {
    const cache = dedupeCache(100);
    for (let index = 0; index < 10_000; index++) cache.remember(`s:${index}`);
    expect(rememberedOf(cache, 10_000, 's:')).toBeLessThanOrEqual(200);
    expect(cache.has('s:9999')).toBe(true);
    expect(cache.has('s:9900')).toBe(true);
    expect(cache.has('s:9799')).toBe(false);
    expect(cache.remember('s:9799')).toBe(true);
  });
});

describe('EventDeduplicator', () => {
  const status = (id: string, editedAt: string | null = null) => ({ id, edited_at: editedAt }) as never;
  const event = (name: string, payload: unknown) => ({ event: name, payload, stream: ['public'], source: 'live' }) as MastodonEvent;

  it('admits each status and notification once, every status.update (4.5 repeats edited_at for quote changes), and no update or edit after its delete', () => {
    const seen = eventDeduplicator(100);
    expect(seen.admit(event('update', status('1')))).toBe(true);
    expect(seen.admit(event('update', status('1')))).toBe(false);
    expect(seen.admit(event('notification', { id: '1' }))).toBe(true);
    expect(seen.admit(event('notification', { id: '1' }))).toBe(false);
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:00:00.000Z')))).toBe(true);
    // A quote accepted after the edit: the same edited_at, a new state.
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:00:00.000Z')))).toBe(true);
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:05:00.000Z')))).toBe(true);
    expect(seen.admit(event('delete', '2'))).toBe(true);
    expect(seen.admit(event('update', status('2')))).toBe(false);
    expect(seen.admit(event('delete', '2'))).toBe(false);
    expect(seen.admit(event('status.update', status('2', '2026-11-28T11:00:00.000Z')))).toBe(false);
    expect(seen.admit(event('announcement.reaction', { name: 'x', count: 1, announcement_id: '5' }))).toBe(true);
    expect(seen.admit(event('announcement.reaction', { name: 'x', count: 1, announcement_id: '5' }))).toBe(true);
  });

  it('admits every withdrawal of an announcement: Mastodon publishes and withdraws the same id again', () => {
    const seen = eventDeduplicator(100);
    const announcement = (updatedAt: string) => event('announcement', { id: '5', updated_at: updatedAt });
    expect(seen.admit(announcement('2026-11-28T10:00:00.000Z'))).toBe(true);
    expect(seen.admit(event('announcement.delete', '5'))).toBe(true);
    expect(seen.admit(announcement('2026-11-28T10:05:00.000Z'))).toBe(true);
    expect(seen.admit(event('announcement.delete', '5'))).toBe(true);
    expect(seen.admit(announcement('2026-11-28T10:05:00.000Z'))).toBe(false);
  });

  describe('conversations', () => {
    const conversation = (id: string, lastStatusId: string, unread: boolean, source: 'live' | 'catchup' = 'live') =>
      ({ event: 'conversation', payload: { id, accounts: [], unread, last_status: { id: lastStatusId } as never }, stream: ['direct'], source }) as MastodonEvent;

    it('admits a live change that goes back to an earlier message, or only flips unread (no catch-up involved)', () => {
      const seen = eventDeduplicator(100);
      expect(seen.admit(conversation('10', '7', true))).toBe(true);
      expect(seen.admit(conversation('10', '5', true))).toBe(true);
      expect(seen.admit(conversation('10', '5', true))).toBe(false);
      expect(seen.admit(conversation('10', '5', false))).toBe(true);
    });

    it('after a catch-up, drops a live state older than it, but not one of the same message, nor one whose newer message was deleted since', () => {
      const seen = eventDeduplicator(100);
      expect(seen.admit(conversation('10', '7', true, 'catchup'))).toBe(true);
      // The live connection still held the conversation at message 5: stale.
      expect(seen.admit(conversation('10', '5', true))).toBe(false);
      // Message 7 read on another device: the same message, news.
      expect(seen.admit(conversation('10', '7', false))).toBe(true);
      expect(seen.admit(conversation('11', '9', true, 'catchup'))).toBe(true);
      expect(seen.admit(event('delete', '9'))).toBe(true);
      // Message 9 deleted: the conversation is back at message 8.
      expect(seen.admit(conversation('11', '8', true))).toBe(true);
    });

    it("after a catch-up, a heartbeat ends the stale window: 4.5 streams a deleted message's conversation back at the previous one, with no delete", () => {
      const seen = eventDeduplicator(100);
      expect(seen.admit(conversation('10', '7', true, 'catchup'))).toBe(true);
      expect(seen.admit(conversation('11', '9', true, 'catchup'))).toBe(true);
      expect(seen.admit(conversation('10', '5', true))).toBe(false);
      seen.heartbeat();
      // Written after the catch-up's answers: message 9 was deleted, the conversation is back at message 8.
      expect(seen.admit(conversation('11', '8', true))).toBe(true);
      expect(seen.admit(conversation('10', '5', true))).toBe(true);
      // A later catch-up opens a new window, which the next heartbeat ends again.
      expect(seen.admit(conversation('12', '20', true, 'catchup'))).toBe(true);
      expect(seen.admit(conversation('12', '19', true))).toBe(false);
      seen.heartbeat();
      expect(seen.admit(conversation('12', '19', true))).toBe(true);
    });

    it('admits an older state that a later catch-up shows (REST as it is then: the newer message was deleted)', () => {
      const seen = eventDeduplicator(100);
      expect(seen.admit(conversation('10', '7', true, 'catchup'))).toBe(true);
      expect(seen.admit(conversation('10', '5', true, 'catchup'))).toBe(true);
    });

    it('after a catch-up, drops a live state without a last status unless that status was deleted', () => {
      const seen = eventDeduplicator(100);
      const withoutStatus = (id: string) => ({ ...conversation(id, '', true), payload: { id, accounts: [], unread: true, last_status: null } }) as MastodonEvent;
      expect(seen.admit(conversation('10', '7', true, 'catchup'))).toBe(true);
      expect(seen.admit(withoutStatus('10'))).toBe(false);
      expect(seen.admit(event('delete', '7'))).toBe(true);
      expect(seen.admit(withoutStatus('10'))).toBe(true);
    });

    it('remembers up to `capacity` conversations, then starts afresh', () => {
      const seen = eventDeduplicator(2);
      expect(seen.admit(conversation('10', '7', true))).toBe(true);
      expect(seen.admit(conversation('11', '8', true))).toBe(true);
      expect(seen.admit(conversation('10', '7', true))).toBe(false);
      expect(seen.admit(conversation('11', '8', true))).toBe(false);
      expect(seen.admit(conversation('12', '9', true))).toBe(true);
      expect(seen.admit(conversation('10', '7', true))).toBe(true);
    });
  });
});
