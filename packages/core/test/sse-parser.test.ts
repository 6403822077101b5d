import { describe, expect, it } from 'vitest';
import { MastodonEventTooLargeError, type ValidationIssue } from '../src/errors.js';
import { createSseParser } from '../src/sse-parser.js';
import { getLinesParser } from './support/get-lines-parser.js';
import { loadSseFixture, SSE_FIXTURES } from './support/fixtures.js';

type Output = Array<['event', string, string] | ['comment', string]>;

/** `'getLines'` runs the CR path from the first byte; each chunk waits for the one before, as a stream's reads do. */
async function parse(chunks: Uint8Array[], maxEventBytes = 1 << 20, path: 'auto' | 'getLines' = 'auto'): Promise<Output> {
  const output: Output = [];
  const hooks = { onSseMessage: (name: string, data: string) => output.push(['event', name, data]), onComment: (text: string) => output.push(['comment', text]) };
  const parser = path === 'getLines' ? getLinesParser(hooks, maxEventBytes) : createSseParser(hooks, maxEventBytes);
  for (const chunk of chunks) await parser.feed(chunk);
  return output;
}

const encode = (text: string) => new TextEncoder().encode(text);
const parts = (...texts: string[]) => texts.map(encode);

describe('createSseParser on the real Mastodon 4.5.7 bytes', () => {
  it('reads every event of the user stream, with heartbeats as comments', async () => {
    const output = await parse([loadSseFixture('sse-user.raw').body]);
    expect(output.filter((item) => item[0] === 'comment')).toEqual([
      ['comment', ')'],
      ['comment', 'thump'],
      ['comment', 'thump'],
    ]);
    expect(output.filter((item) => item[0] === 'event').map((item) => item[1])).toEqual([
      'update',
      'status.update',
      'notification',
      'notifications_merged',
      'filters_changed',
      'announcement',
      'announcement.reaction',
      'announcement.delete',
      'unknown_custom_event',
      'delete',
    ]);
    expect(output).toContainEqual(['event', 'delete', '201']);
    expect(output).toContainEqual(['event', 'announcement.reaction', '{"name":"👍","count":1,"announcement_id":"5"}']);
  });

  for (const name of SSE_FIXTURES) {
    it(`gives the same result for ${name} split at every byte boundary and fed byte by byte, on both line paths`, async () => {
      const { body } = loadSseFixture(name);
      const whole = await parse([body]);
      expect(whole.length).toBeGreaterThan(0);
      // fetch-event-source's getLines → getMessages is the reference for the text fast path.
      expect(await parse([body], 1 << 20, 'getLines')).toEqual(whole);
      for (let split = 1; split < body.length; split += 7) {
        expect(await parse([body.subarray(0, split), body.subarray(split)], 1 << 20, 'getLines')).toEqual(whole);
      }
      for (let split = 1; split < body.length; split++) {
        expect(await parse([body.subarray(0, split), body.subarray(split)])).toEqual(whole);
      }
      expect(await parse(Array.from(body, (byte) => Uint8Array.of(byte)))).toEqual(whole);
    });
  }
});

describe('invalid UTF-8', () => {
  const bad = (prefix: string, suffix: string) => {
    const head = encode(prefix);
    const tail = encode(suffix);
    const bytes = new Uint8Array(head.length + 3 + tail.length);
    bytes.set(head);
    bytes.set([0xf0, 0x9f, 0x9a], head.length);
    bytes.set(tail, head.length + 3);
    return bytes;
  };
  const input = () => [bad('event: update\ndata: {"foo":"', '"}\n\n'), encode(':thump\nevent: update\ndata: {"ok":1}\n\n')];

  it.each(['auto', 'getLines'] as const)('is replaced with U+FFFD by default (%s path)', async (path) => {
    expect(await parse(input(), 1 << 20, path)).toEqual([['event', 'update', '{"foo":"\uFFFD"}'], ['comment', 'thump'], ['event', 'update', '{"ok":1}']]);
  });

  // The text path decodes chunk by chunk, each cut at its last whole character (a streaming decode, tried for speed,
  // lost a sequence at a CR); whatever the split, each malformed sequence must come out as one pass over the whole gives it.
  const malformedSequences = [[0x80], [0xbf, 0x80], [0xc0, 0xaf], [0xc2], [0xe0, 0x80, 0xaf], [0xe0, 0xa0], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0xaf], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xff], [0xe2, 0x82, 0x41], [0xf0, 0x9f, 0x98, 0x80, 0x80]];
  /** An event whose data holds `sequence` between two two-byte characters, a heartbeat, and a good event; and that data as one pass over the whole stream decodes it. */
  const streamWith = (sequence: number[], lineEnd = '\n') => {
    // With CRLF after the sequence, the first CR hands the stream to the CR path right where the sequence may be split.
    const tail = `é${lineEnd}${lineEnd}:thump${lineEnd}event: update${lineEnd}data: {"ok":1}${lineEnd}${lineEnd}`;
    const body = new Uint8Array([...encode('event: update\ndata: é'), ...sequence, ...encode(tail)]);
    const data = new TextDecoder().decode(body).split('data: ')[1]?.split(/\r?\n/)[0] ?? '';
    expect(data).toContain('\uFFFD');
    return { body, data };
  };
  // Two chunks split at each byte, one chunk a byte, and a byte a chunk with an empty chunk before, between and after
  // (a body stream may yield one).
  const everySplit = (body: Uint8Array) => [
    ...Array.from({ length: body.length - 1 }, (_, index) => [body.subarray(0, index + 1), body.subarray(index + 1)]),
    Array.from(body, (byte) => Uint8Array.of(byte)),
    [new Uint8Array(), ...Array.from(body, (byte) => [Uint8Array.of(byte), new Uint8Array()]).flat()],
  ];

  it.each(['\n', '\r\n'])('is replaced as one pass over the whole stream replaces it, for each kind of malformed sequence at every split (lines ending %j)', async (lineEnd) => {
    for (const sequence of malformedSequences) {
      const { body, data } = streamWith(sequence, lineEnd);
      const expected = [['event', 'update', data], ['comment', 'thump'], ['event', 'update', '{"ok":1}']];
      for (const chunks of everySplit(body)) expect(await parse(chunks), `${sequence} in ${chunks.length} chunks`).toEqual(expected);
    }
  });

  it.each(['\n', '\r\n'])('is reported, and the next event delivered, for each kind of malformed sequence at every split (lines ending %j)', async (lineEnd) => {
    for (const sequence of malformedSequences) {
      const { body, data } = streamWith(sequence, lineEnd);
      for (const chunks of everySplit(body)) {
        const output: string[][] = [];
        const parser = createSseParser({ onSseMessage: (name, text) => output.push(['event', name, text]), onComment: () => {}, onInvalidUtf8: (name, text) => output.push(['invalid', name, text]) }, 1 << 20, true);
        for (const chunk of chunks) await parser.feed(chunk);
        expect(output, `${sequence} in ${chunks.length} chunks`).toEqual([['invalid', 'update', data], ['event', 'update', '{"ok":1}']]);
      }
    }
  });

  it.each(['auto', 'getLines'] as const)('goes to onInvalidUtf8 when reported, and the next event is fine (%s path)', async (path) => {
    const output: Array<[string, string, string]> = [];
    const issues: ValidationIssue[] = [];
    const hooks = {
      onSseMessage: (name: string, data: string) => output.push(['event', name, data]),
      onComment: () => {},
      onInvalidUtf8: (name: string, data: string, issue: ValidationIssue) => output.push(['invalid', name, data]) && issues.push(issue),
    };
    const parser = path === 'getLines' ? getLinesParser(hooks, 1 << 20, true) : createSseParser(hooks, 1 << 20, true);
    for (const chunk of input()) await parser.feed(chunk);
    expect(output).toEqual([['invalid', 'update', '{"foo":"\uFFFD"}'], ['event', 'update', '{"ok":1}']]);
    // The stream's MastodonMalformedEventError carries this issue; the listener maps it by its message.
    expect(issues).toEqual([{ path: '', expected: 'UTF-8', received: 'invalid bytes', message: 'Malformed UTF-8' }]);
  });
});

describe('line endings other than LF', () => {
  const toCrlf = (bytes: Uint8Array) => encode(new TextDecoder().decode(bytes).replaceAll('\n', '\r\n'));
  const toCr = (bytes: Uint8Array) => encode(new TextDecoder().decode(bytes).replaceAll('\n', '\r'));

  it.each([
    ['CRLF', toCrlf],
    ['CR', toCr],
  ])('the user fixture rewritten with %s gives the same result at every split', async (_name, rewrite) => {
    const original = loadSseFixture('sse-user.raw').body;
    const expected = await parse([original]);
    const body = rewrite(original);
    for (let split = 1; split < body.length; split += 3) {
      expect(await parse([body.subarray(0, split), body.subarray(split)])).toEqual(expected);
    }
  });

  it('switches from LF lines to CR handling mid-stream without losing a pending line', async () => {
    expect(await parse(parts('event: a\ndata: 1\n\nevent: b\nda', 'ta: 2\r\n\r\n', 'data: 3\r\rdata: 4\n\n'))).toEqual([
      ['event', 'a', '1'],
      ['event', 'b', '2'],
      ['event', '', '3'],
      ['event', '', '4'],
    ]);
  });
});

describe('createSseParser follows the WHATWG rules (sse-transport.md §1.6)', () => {
  const vectors: Array<[string, string[], Output]> = [
    ['comment then event without blank line', [':)\nevent: update\ndata: {"a":1}\n\n'], [['comment', ')'], ['event', 'update', '{"a":1}']]],
    ['4.6-style heartbeat makes no event', [':thump\n\n'], [['comment', 'thump']]],
    ['CR then LF in the next chunk', ['event: x\r', '\ndata: y\r\n\r\n'], [['event', 'x', 'y']]],
    ['CR-only line endings', ['data: a\rdata: b\r\r'], [['event', '', 'a\nb']]],
    ['no space after the colon', ['event:update\ndata:1\n\n'], [['event', 'update', '1']]],
    ['only one leading space is removed', ['data:  two spaces\n\n'], [['event', '', ' two spaces']]],
    ['the last event field wins', ['event: a\nevent: b\ndata: 1\n\n'], [['event', 'b', '1']]],
    ['a BOM at the start is removed', ['\uFEFF:)\nevent: a\ndata: 1\n\n'], [['comment', ')'], ['event', 'a', '1']]],
    ['a partial trailing event is dropped', ['event: a\ndata: 1\n'], []],
    ['id and retry do not disturb data', ['id: 5\nretry: 10x\ndata: 1\n\n'], [['event', '', '1']]],
    ['event with no data is still delivered (filters_changed)', ['event: filters_changed\n\n'], [['event', 'filters_changed', '']]],
    ['CRLF endings', ['event: a\r\ndata: 1\r\n\r\n'], [['event', 'a', '1']]],
    ['a data field without a colon dispatches an empty message', ['data\n\n'], [['event', '', '']]],
    ['an empty first data line is kept', ['data:\ndata: x\n\n'], [['event', '', '\nx']]],
    ['two empty data lines make one newline', ['data:\ndata: \n\n'], [['event', '', '\n']]],
    ['an event field without a colon resets the name', ['event: a\nevent\ndata: 1\n\n'], [['event', '', '1']]],
    // §1.1 rule 2: one BOM at the very start of the stream is removed, nowhere else (on the CR path too).
    ['a BOM at the start of a data value is kept', ['event: a\r\ndata: \uFEFFx\r\n\r\n'], [['event', 'a', '\uFEFFx']]],
    ['a BOM at the start of a later line makes another field', [':)\r\n\uFEFFdata: x\r\ndata: y\r\n\r\n'], [['comment', ')'], ['event', '', 'y']]],
    ['a BOM at the start of a comment is kept', [':)\r\n:\uFEFFthump\r\n'], [['comment', ')'], ['comment', '\uFEFFthump']]],
    ['a switch to CR handling in the middle of an event keeps its first lines', [':)\nevent: b\n', 'data: 2\r\n\r\n'], [['comment', ')'], ['event', 'b', '2']]],
    ['a switch to CR handling keeps each data line pending', [':)\ndata: 1\ndata:\ndata: 2\n', '\r\n'], [['comment', ')'], ['event', '', '1\n\n2']]],
    ['an empty data line after a value is kept', ['data: x\ndata:\n\n'], [['event', '', 'x\n']]],
    ['a BOM right after the colon of a data field is kept', ['data:\uFEFFx\r\n\r\n'], [['event', '', '\uFEFFx']]],
    ['a comment in a first chunk of two bytes comes at once', [':\r'], [['comment', '']]],
  ];
  for (const [title, input, expected] of vectors) {
    it.each(['auto', 'getLines'] as const)(`${title} (%s path)`, async (path) => {
      expect(await parse(parts(...input), 1 << 20, path)).toEqual(expected);
    });
  }

  it('keeps a multi-byte character split across chunks', async () => {
    const bytes = encode('event: u\ndata: "☃"\n\n');
    const snowman = bytes.indexOf(0xe2);
    for (const split of [snowman + 1, snowman + 2]) {
      expect(await parse([bytes.subarray(0, split), bytes.subarray(split)])).toEqual([['event', 'u', '"☃"']]);
    }
  });

  it('handles a BOM split across chunks', async () => {
    const bytes = encode('\uFEFFevent: a\ndata: 1\n\n');
    expect(await parse([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)])).toEqual([['event', 'a', '1']]);
  });

  it.each(['auto', 'getLines'] as const)('removes a BOM split across chunks before the first CR, and only at the start (%s path)', async (path) => {
    const bytes = encode('\uFEFFevent: a\r\ndata: 1\r\n\r\n');
    for (const cuts of [[1, 2], [1, 3], [2, 3], [3, 4]]) {
      const chunks = [bytes.subarray(0, cuts[0]), bytes.subarray(cuts[0], cuts[1]), bytes.subarray(cuts[1])];
      expect(await parse(chunks, 1 << 20, path)).toEqual([['event', 'a', '1']]);
    }
    // The text path read a character first: a BOM in the chunk that hands the stream to the CR path is no stream start.
    expect(await parse(parts(':)\n', '\uFEFFdata: x\r\ndata: y\r\n\r\n'), 1 << 20, path)).toEqual([['comment', ')'], ['event', '', 'y']]);
  });

  it.each(['auto', 'getLines'] as const)('throws a typed error when an event outgrows maxEventBytes, even across chunks (%s path)', async (path) => {
    const line = `data: ${'x'.repeat(200)}`;
    await expect(parse(parts(line.slice(0, 100), line.slice(100)), 150, path)).rejects.toThrow(MastodonEventTooLargeError);
    await expect(parse(parts(line.slice(0, 60), line.slice(60, 120), line.slice(120)), 150, path)).rejects.toThrow(MastodonEventTooLargeError);
    await expect(parse(parts(`${line}\n\n`), 150, path)).rejects.toThrow(MastodonEventTooLargeError);
    expect(await parse(parts(`${line}\n\n`), 1000, path)).toEqual([['event', '', 'x'.repeat(200)]]);
  });

  it.each(['auto', 'getLines'] as const)('counts bytes per event, not per stream (%s path)', async (path) => {
    const event = `data: ${'x'.repeat(100)}\n\n`;
    expect(await parse(parts(event.repeat(50)), 150, path)).toHaveLength(50);
    expect(await parse(parts(event.repeat(50).replaceAll('\n', '\r\n')), 150, path)).toHaveLength(50);
  });

  it.each(['auto', 'getLines'] as const)('counts each line of an event with its line break, up to exactly maxEventBytes (%s path)', async (path) => {
    // 'event: e' and 'data: 0123456' with their line breaks: 9 + 14 = 23.
    const event = 'event: e\ndata: 0123456\n\n';
    expect(await parse(parts(event), 23, path)).toEqual([['event', 'e', '0123456']]);
    await expect(parse(parts(event), 22, path)).rejects.toThrow(MastodonEventTooLargeError);
    // An unfinished line has no line break yet: a stream that ends in one of exactly the limit is no error.
    expect(await parse(parts(event, 'data: 01234567890123456'), 23, path)).toEqual([['event', 'e', '0123456']]);
    await expect(parse(parts(event, 'data: 012345678901234567'), 23, path)).rejects.toThrow(MastodonEventTooLargeError);
  });

  it.each(['auto', 'getLines'] as const)('counts a comment inside an event, after a data or a named event line (%s path)', async (path) => {
    // 15 + 5 + 8 = 28 > 20, where the comment alone (5) would have fit between events.
    await expect(parse(parts('data: 12345678\n:abc\ndata: 1\n\n'), 20, path)).rejects.toThrow(MastodonEventTooLargeError);
    await expect(parse(parts('event: 1234567\n:abc\ndata: 1\n\n'), 20, path)).rejects.toThrow(MastodonEventTooLargeError);
    // A comment before any field is between events: 10 + 15 would not fit, 15 does.
    expect(await parse(parts(':abcdefgh\ndata: 12345678\n\n'), 20, path)).toEqual([['comment', 'abcdefgh'], ['event', '', '12345678']]);
    // So is one after a field that names no event and holds no data: 'event' with an empty name, or another field.
    for (const first of ['event:', 'event: ', 'event', 'events: x', 'xvent: x', 'exent: x', 'evxnt: x', 'evext: x', 'evenx: x', 'id: 1']) {
      expect(await parse(parts(`${first}\n:abcdefgh\ndata: 12345678\n\n`), 20, path), first).toEqual([['comment', 'abcdefgh'], ['event', '', '12345678']]);
    }
    expect(await parse(parts('event:x\n:abcdefgh\ndata: 12345678\n\n'), 40, path)).toEqual([['comment', 'abcdefgh'], ['event', 'x', '12345678']]);
    await expect(parse(parts('event:x\n:abcdefgh\ndata: 12345678\n\n'), 25, path)).rejects.toThrow(MastodonEventTooLargeError);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('does not count heartbeats between events (%s; ≤ 4.5 servers end them with one line break, so no blank line resets the count)', async (_name, eol) => {
    const quiet = `:thump${eol}`.repeat(100);
    const output = await parse(parts(`:)${eol}`, quiet, `event: update${eol}data: 1${eol}${eol}`, quiet), 150);
    expect(output.filter((item) => item[0] === 'event')).toEqual([['event', 'update', '1']]);
    expect(output.filter((item) => item[0] === 'comment')).toHaveLength(201);
  });
});
