// Text from a server that is parsed with a regular expression must cost time linear in its length: a quadratic
// pattern turns a hostile header or instance document into an event loop that stands still for seconds or minutes,
// with every stream's timers stalled behind it. Each input below took the old pattern well over the bound (measured:
// 120,000 slashes 14.5 s, 65,536 '<' 5.1 s); linear code takes milliseconds, so the bound is generous, not a benchmark.
import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../src/catch-up.js';
import { normalizeStreamingBase } from '../src/urls.js';

const BOUND_MS = 1_000;

function timed<T>(work: () => T): { result: T; elapsedMs: number } {
  const started = performance.now();
  const result = work();
  return { result, elapsedMs: performance.now() - started };
}

describe('normalizeStreamingBase', () => {
  it('maps the scheme and drops the query, the fragment and trailing slashes', () => {
    expect(normalizeStreamingBase('wss://streaming.example/path///?x=1#y')).toBe('https://streaming.example/path');
    expect(normalizeStreamingBase('ws://streaming.example/')).toBe('http://streaming.example');
  });

  it('handles a streaming URL of 120,000 slashes before its last segment in linear time', () => {
    const advertised = `wss://streaming.example/${'/'.repeat(120_000)}x`;
    const { result, elapsedMs } = timed(() => normalizeStreamingBase(advertised));
    expect(result).toBe(`https://streaming.example/${'/'.repeat(120_000)}x`);
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('drops a trailing run of 120,000 slashes in linear time', () => {
    const { result, elapsedMs } = timed(() => normalizeStreamingBase(`wss://streaming.example/a${'/'.repeat(120_000)}`));
    expect(result).toBe('https://streaming.example/a');
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });
});

describe('parseLinkHeader', () => {
  it('reads the rels of a Mastodon Link header', () => {
    const links = parseLinkHeader('<https://m.example/api/v1/timelines/public?max_id=1>; rel="next", <https://m.example/api/v1/timelines/public?min_id=9>; rel="prev"');
    expect(Object.fromEntries(links)).toEqual({ next: 'https://m.example/api/v1/timelines/public?max_id=1', prev: 'https://m.example/api/v1/timelines/public?min_id=9' });
  });

  it("parses a header of 65,536 '<' without a '>' in linear time, and finds no link in it", () => {
    const { result, elapsedMs } = timed(() => parseLinkHeader('<'.repeat(65_536)));
    expect(result.size).toBe(0);
    expect(elapsedMs).toBeLessThan(BOUND_MS);
  });

  it("still finds the link after a run of stray '<'", () => {
    const links = parseLinkHeader(`${'<'.repeat(1_000)}<https://m.example/next>; rel="prev"`);
    expect(links.get('prev')).toBe('https://m.example/next');
  });
});
