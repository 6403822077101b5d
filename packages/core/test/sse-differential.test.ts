import { describe, expect, it } from 'vitest';
import { createSseParser, type SseParserHooks } from '../src/sse-parser.js';
import { getLinesParser } from './support/get-lines-parser.js';

// The text path (each chunk decoded once and split as text, handed to the CR path at the first CR) held to
// fetch-event-source's getLines → getMessages from the first byte, over seeded random streams: line ends of every
// kind, a BOM, multi-byte and malformed UTF-8, comments, other fields, and chunks of 0 to 9 bytes or a whole stream.
// A fixed seed list keeps a failure reproducible; each stream's seed is in the failure message.

const STREAMS_PER_SEED = 1_000;
const SEEDS = [1, 2, 3, 4, 5];

/** mulberry32: small, seeded, good enough to pick pieces. */
const randomFrom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
  return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
};

const encode = (text: string) => [...new TextEncoder().encode(text)];
const PIECES: number[][] = [
  ...['event: update', 'event:notification', 'data: {"a":"', 'data:', 'data', ': thump', ':)', 'id: 7', 'retry: 50', 'event', 'x', ' ', '"}', 'é', '😀', 'ü', '中'].map(encode),
  [0x80], [0xc2], [0xc0, 0xaf], [0xe0, 0xa0], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82],
];

function randomStream(random: () => number): { bytes: Uint8Array; chunks: Uint8Array[] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Mostly LF, as every Mastodon server sends; the other endings move the stream to the CR path wherever they come.
  const lineEnds = random() < 0.6 ? ['\n'] : ['\n', '\n', '\r\n', '\r'];
  const bytes: number[] = random() < 0.2 ? [0xef, 0xbb, 0xbf] : [];
  for (let line = Math.floor(random() * 12); line > 0; line--) {
    for (let piece = Math.floor(random() * 4); piece > 0; piece--) bytes.push(...pick(PIECES));
    bytes.push(...encode(pick(lineEnds)));
    if (random() < 0.3) bytes.push(...encode(pick(lineEnds)));
  }
  const whole = Uint8Array.from(bytes);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < whole.length || chunks.length === 0; ) {
    const size = random() < 0.1 ? whole.length : Math.floor(random() * 10);
    chunks.push(whole.subarray(start, start + size));
    start += size;
  }
  return { bytes: whole, chunks };
}

async function run(parser: 'text' | 'getLines', chunks: Uint8Array[], reportInvalidUtf8: boolean): Promise<unknown[]> {
  const output: unknown[] = [];
  const hooks: SseParserHooks = {
    onSseMessage: (name, data) => output.push(['event', name, data]),
    onComment: (text) => output.push(['comment', text]),
    onInvalidUtf8: (name, data) => output.push(['invalid', name, data]),
  };
  const sse = parser === 'text' ? createSseParser(hooks, 1 << 20, reportInvalidUtf8) : getLinesParser(hooks, 1 << 20, reportInvalidUtf8);
  for (const chunk of chunks) await sse.feed(chunk);
  return output;
}

describe('the SSE text path against getLines → getMessages, on seeded random streams', () => {
  it.each(SEEDS)('gives the same events, comments and invalid-UTF-8 reports (seed %i)', async (seed) => {
    const random = randomFrom(seed);
    let events = 0;
    for (let index = 0; index < STREAMS_PER_SEED; index++) {
      const { bytes, chunks } = randomStream(random);
      for (const report of [false, true]) {
        const reference = await run('getLines', [bytes], report);
        events += reference.length;
        expect(await run('text', chunks, report), `seed ${seed}, stream ${index}, report ${report}, chunks ${chunks.map((chunk) => chunk.length)}`).toEqual(reference);
      }
    }
    // The streams must hold something to compare: a generator that made only empty streams would pass anything.
    expect(events).toBeGreaterThan(STREAMS_PER_SEED);
  });
});
