// Text from a server that is parsed with a regular expression must cost time linear in its length: a quadratic
// pattern turns a hostile header or instance document into an event loop that stands still for seconds or minutes,
// with every stream's timers stalled behind it (the old patterns took 120,000 slashes 14.5 s, 65,536 '<' 5.1 s).
// No bound in milliseconds, which a loaded runner can miss: each check times an input and one four times as long and
// asserts the cost grew well below the sixteenfold of quadratic code (linear code grows about fourfold; the old
// patterns measured 14 to 19 on these sizes).
import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../src/link-header.js';
import { normalizeStreamingBase } from '../src/urls.js';

const SIZE = 4_000;
const GROWTH_BOUND = 8;

function millisecondsFor(work: (input: string) => unknown, input: string): number {
  const started = performance.now();
  work(input);
  return performance.now() - started;
}

/**
 * How many times longer one call of `work` takes on `large` than on `small`: the fastest of many interleaved calls
 * each (at least 7, more while under a quarter second has passed). Load on the machine only ever adds time, and a call
 * of linear code is short enough to run between two preemptions, so the minimum is the figure load disturbed least.
 */
function growth(work: (input: string) => unknown, small: string, large: string): number {
  let fastestSmall = Infinity;
  let fastestLarge = Infinity;
  const started = performance.now();
  for (let round = 0; round < 7 || (round < 500 && performance.now() - started < 250); round += 1) {
    fastestSmall = Math.min(fastestSmall, millisecondsFor(work, small));
    fastestLarge = Math.min(fastestLarge, millisecondsFor(work, large));
  }
  return fastestLarge / fastestSmall;
}

describe('normalizeStreamingBase', () => {
  it('maps the scheme and drops the query, the fragment and trailing slashes', () => {
    expect(normalizeStreamingBase('wss://streaming.example/path///?x=1#y')).toBe('https://streaming.example/path');
    expect(normalizeStreamingBase('ws://streaming.example/')).toBe('http://streaming.example');
  });

  it('handles a streaming URL with a run of slashes before its last segment in linear time', () => {
    const advertised = (slashes: number) => `wss://streaming.example/${'/'.repeat(slashes)}x`;
    expect(normalizeStreamingBase(advertised(4 * SIZE))).toBe(`https://streaming.example/${'/'.repeat(4 * SIZE)}x`);
    expect(growth(normalizeStreamingBase, advertised(SIZE), advertised(4 * SIZE))).toBeLessThan(GROWTH_BOUND);
  });

  it('drops a trailing run of slashes in linear time', () => {
    const advertised = (slashes: number) => `wss://streaming.example/a${'/'.repeat(slashes)}`;
    expect(normalizeStreamingBase(advertised(4 * SIZE))).toBe('https://streaming.example/a');
    expect(growth(normalizeStreamingBase, advertised(SIZE), advertised(4 * SIZE))).toBeLessThan(GROWTH_BOUND);
  });
});

describe('parseLinkHeader', () => {
  it('reads the rels of a Mastodon Link header', () => {
    const links = parseLinkHeader('<https://m.example/api/v1/timelines/public?max_id=1>; rel="next", <https://m.example/api/v1/timelines/public?min_id=9>; rel="prev"');
    expect(Object.fromEntries(links)).toEqual({ next: 'https://m.example/api/v1/timelines/public?max_id=1', prev: 'https://m.example/api/v1/timelines/public?min_id=9' });
  });

  it('reads the RFC 8288 forms Mastodon does not send: no spaces, other parameters, an unquoted rel, spaces around =, several rels', () => {
    const read = (header: string) => Object.fromEntries(parseLinkHeader(header));
    expect(read('<https://m.example/a>;rel="next",<https://m.example/b>;rel="prev"')).toEqual({ next: 'https://m.example/a', prev: 'https://m.example/b' });
    expect(read('<https://m.example/a>; title="older"; rel="next"')).toEqual({ next: 'https://m.example/a' });
    expect(read('<https://m.example/a>; rel=next')).toEqual({ next: 'https://m.example/a' });
    expect(read('<https://m.example/a>; rel = "next"')).toEqual({ next: 'https://m.example/a' });
    expect(read('<https://m.example/a>; rel="next  last"')).toEqual({ next: 'https://m.example/a', last: 'https://m.example/a' });
    // A link without a rel names nothing.
    expect(read('<https://m.example/a>; title="x", <https://m.example/b>; rel="prev"')).toEqual({ prev: 'https://m.example/b' });
  });

  it("parses a header of '<' without a '>' in linear time, and finds no link in it", () => {
    expect(parseLinkHeader('<'.repeat(4 * SIZE)).size).toBe(0);
    expect(growth(parseLinkHeader, '<'.repeat(SIZE), '<'.repeat(4 * SIZE))).toBeLessThan(GROWTH_BOUND);
  });

  it("still finds the link after a run of stray '<'", () => {
    const links = parseLinkHeader(`${'<'.repeat(1_000)}<https://m.example/next>; rel="prev"`);
    expect(links.get('prev')).toBe('https://m.example/next');
  });
});
