import { describe, expect, it } from 'vitest';
import { DedupeCache, EventDeduplicator } from '../src/dedupe.js';
import type { MastodonEvent } from '../src/events.js';

describe('DedupeCache', () => {
  it('reports duplicates and forgets the oldest key beyond its capacity', () => {
    const cache = new DedupeCache(3);
    expect(['a', 'b', 'c'].map((key) => cache.remember(key))).toEqual([true, true, true]);
    expect(cache.remember('a')).toBe(false);
    expect(cache.remember('d')).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.has('a')).toBe(false);
    expect(cache.remember('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(['c', 'd', 'a'].every((key) => cache.has(key))).toBe(true);
  });

  it('stays bounded over a long run', () => {
    const cache = new DedupeCache(100);
    for (let index = 0; index < 10_000; index++) cache.remember(`s:${index}`);
    expect(cache.size).toBe(100);
    expect(cache.has('s:9999')).toBe(true);
    expect(cache.has('s:9899')).toBe(false);
  });
});

describe('EventDeduplicator', () => {
  const status = (id: string, editedAt: string | null = null) => ({ id, edited_at: editedAt }) as never;
  const event = (name: string, payload: unknown) => ({ event: name, payload, stream: ['public'], source: 'live' }) as MastodonEvent;

  it('admits each status and notification once, every new edit, and no update after its delete', () => {
    const seen = new EventDeduplicator(100);
    expect(seen.admit(event('update', status('1')))).toBe(true);
    expect(seen.admit(event('update', status('1')))).toBe(false);
    expect(seen.admit(event('notification', { id: '1' }))).toBe(true);
    expect(seen.admit(event('notification', { id: '1' }))).toBe(false);
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:00:00.000Z')))).toBe(true);
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:00:00.000Z')))).toBe(false);
    expect(seen.admit(event('status.update', status('1', '2026-11-28T11:05:00.000Z')))).toBe(true);
    expect(seen.admit(event('delete', '2'))).toBe(true);
    expect(seen.admit(event('update', status('2')))).toBe(false);
    expect(seen.admit(event('delete', '2'))).toBe(false);
    expect(seen.admit(event('announcement.reaction', { name: 'x', count: 1, announcement_id: '5' }))).toBe(true);
    expect(seen.admit(event('announcement.reaction', { name: 'x', count: 1, announcement_id: '5' }))).toBe(true);
  });
});
