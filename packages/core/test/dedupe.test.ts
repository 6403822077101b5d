import { describe, expect, it } from 'vitest';
import { DedupeCache } from '../src/dedupe.js';

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
