import { describe, expect, it } from 'vitest';
import { createSseParser } from '../src/sse-parser.js';
import { loadSseFixture } from './support/fixtures.js';
import { getLinesParser } from './support/get-lines-parser.js';

// The text path keeps an unfinished line as text and the first bytes of a
// character split across chunks as bytes; these cases check what it hands
// over when a chunk sends the stream to the CR path, and its field parsing,
// against fetch-event-source's getLines → getMessages (`path: 'getLines'`).

type Output = Array<[string, string, string]>;

/** `'getLines'` runs the CR path from the first byte; each chunk waits for the one before, as a stream's reads do. */
async function parse(chunks: Uint8Array[], { path = 'auto', reportInvalidUtf8 = false }: { path?: 'auto' | 'getLines'; reportInvalidUtf8?: boolean } = {}): Promise<Output> {
  const output: Output = [];
  const hooks = {
    onSseMessage: (name: string, data: string) => output.push(['event', name, data]),
    onComment: (text: string) => output.push(['comment', text, '']),
    onInvalidUtf8: (name: string, data: string) => output.push(['invalid', name, data]),
  };
  const parser = path === 'getLines' ? getLinesParser(hooks, 1 << 20, reportInvalidUtf8) : createSseParser(hooks, 1 << 20, reportInvalidUtf8);
  for (const chunk of chunks) await parser.feed(chunk);
  return output;
}

const encode = (text: string) => new TextEncoder().encode(text);
const join = (...parts: Array<string | number[]>) => {
  const bytes = parts.flatMap((part) => (typeof part === 'string' ? [...encode(part)] : part));
  return new Uint8Array(bytes);
};
/** Every way to cut `bytes` in two. */
const everySplit = (bytes: Uint8Array) => Array.from({ length: bytes.length - 1 }, (_, index) => [bytes.subarray(0, index + 1), bytes.subarray(index + 1)]);

describe('the text path', () => {
  it('hands the CR path the half-read event, its unfinished line and a split character', async () => {
    const bytes = encode(':)\nevent: a\ndata: 1\ndata: é😀x\r\n\r\nevent: b\ndata: 2\n\n');
    const expected = [['comment', ')', ''], ['event', 'a', '1\né😀x'], ['event', 'b', '2']];
    expect(await parse([bytes], { path: 'getLines' })).toEqual(expected);
    for (const chunks of everySplit(bytes)) expect(await parse(chunks)).toEqual(expected);
  });

  it('reports invalid UTF-8 in an event whose first lines came in earlier chunks', async () => {
    const bytes = join('event: update\ndata: {"a":"x', [0xf0, 0x9f, 0x9a], '"}\n\nevent: update\ndata: {"ok":1}\n\n');
    const expected = [['invalid', 'update', '{"a":"x\uFFFD"}'], ['event', 'update', '{"ok":1}']];
    expect(await parse([bytes], { reportInvalidUtf8: true })).toEqual(expected);
    for (const chunks of everySplit(bytes)) expect(await parse(chunks, { reportInvalidUtf8: true })).toEqual(expected);
  });

  it('keeps each event its own name when names alternate, at every split', async () => {
    const bytes = encode('event: update\ndata: 1\n\nevent: delete\ndata: 2\n\nevent: update\ndata: 3\n\nevent: status.update\ndata: 4\n\n');
    const expected = [['event', 'update', '1'], ['event', 'delete', '2'], ['event', 'update', '3'], ['event', 'status.update', '4']];
    for (const chunks of everySplit(bytes)) expect(await parse(chunks)).toEqual(expected);
  });

  it('reads only the data and event fields, as getLines → getMessages do', async () => {
    const text = 'datum: x\nevents: y\nid: 7\n: note\nevent\ndata:  two\nevent:a\ndat\n\nevent: b\ndata\n\n';
    const expected = await parse([encode(text)], { path: 'getLines' });
    expect(expected).toEqual([['comment', ' note', ''], ['event', 'a', ' two'], ['event', 'b', '']]);
    expect(await parse([encode(text)])).toEqual(expected);
    // Fields that are almost `data` are no data lines: a blank line after them dispatches nothing.
    for (const field of ['dataa', 'xata', 'dxta', 'daxa', 'datx', 'xyta', 'xyza', 'dat']) {
      for (const line of [`${field}: 1`, field]) {
        expect(await parse([encode(`${line}\n\n`)], { path: 'getLines' }), line).toEqual([]);
        expect(await parse([encode(`${line}\n\n`)]), line).toEqual([]);
      }
    }
  });

  it('joins a line that arrives one byte at a time', async () => {
    const line = `data: ${'ü'.repeat(300)}\n\n`;
    expect(await parse(Array.from(encode(line), (byte) => Uint8Array.of(byte)))).toEqual([['event', '', 'ü'.repeat(300)]]);
  });

  it('keeps characters whose later bytes are 0x80 or that start with 0xE0 whole at every split', async () => {
    // † is E2 80 A0, ŀ is C5 80, 𐀀 is F0 90 80 80, Thai ก is E0 B8 81: a cut after a 0x80 byte or after E0 xx waits for the rest.
    const text = 'event: u\ndata: †ŀ𐀀กข\n\n';
    for (const chunks of everySplit(encode(text))) expect(await parse(chunks)).toEqual([['event', 'u', '†ŀ𐀀กข']]);
  });

  it('dispatches an event whose blank line ends the chunk, even after a cut-off character', async () => {
    // F0 starts a four-byte character; the LFs after it end it (U+FFFD), so nothing waits for the next chunk.
    const events: string[] = [];
    const parser = createSseParser({ onSseMessage: (_name, data) => events.push(data), onComment: () => {} }, 1 << 20);
    expect(parser.feed(join('data: a', [0xf0], '\n\n'))).toBeUndefined();
    expect(events).toEqual(['a\uFFFD']);
  });

  it.each([false, true])('removes a BOM only at the very start of the stream, not later in its first chunk nor at the start of a later one (reportInvalidUtf8: %s)', async (reportInvalidUtf8) => {
    expect(await parse([encode('data: \uFEFFx\n\n')], { reportInvalidUtf8 })).toEqual([['event', '', '\uFEFFx']]);
    expect(await parse([encode('data: '), encode('\uFEFFx\n\n')], { reportInvalidUtf8 })).toEqual([['event', '', '\uFEFFx']]);
    expect(await parse([encode('data: a\n\n'), encode('\uFEFFdata: b\n\ndata: c\n\n')], { reportInvalidUtf8 })).toEqual([['event', '', 'a'], ['event', '', 'c']]);
  });

  it('parses a stream without CR synchronously: no feed returns a promise (the CR path is never loaded)', () => {
    const { body } = loadSseFixture('sse-user.raw');
    const events: string[] = [];
    const parser = createSseParser({ onSseMessage: (name) => events.push(name), onComment: () => {} }, 1 << 20);
    for (let start = 0; start < body.length; start += 61) expect(parser.feed(body.subarray(start, start + 61))).toBeUndefined();
    expect(events).toHaveLength(10);
  });
});
