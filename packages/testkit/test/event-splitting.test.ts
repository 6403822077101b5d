import { describe, expect, it } from 'vitest';
import type { EventSplitter, FakeMastodon } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { sseEvents } from './fixtures.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<RawCapture>();

/** The chunks of a chunked body after the response head, as raw bytes, terminator excluded. */
function bodyChunks(raw: Buffer): Buffer[] {
  let offset = raw.indexOf('\r\n\r\n') + 4;
  const chunks: Buffer[] = [];
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0) || lineEnd + 2 + size > raw.length) break;
    chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return chunks;
}

async function openRaw(s: FakeMastodon): Promise<RawCapture> {
  const capture = await RawCapture.open(s.port, getRequest('/api/v1/streaming/public', { Authorization: 'Bearer peer-test-token' }));
  perTest.track(capture);
  await s.waitForConnection();
  return capture;
}

describe('eventWrites with a splitter (checklist 8)', () => {
  it('cuts each event where the splitter says, one chunk per piece; comments are untouched', async () => {
    const seen: Array<{ name: string; text: string }> = [];
    const splitter: EventSplitter = ({ name, bytes }) => {
      seen.push({ name, text: Buffer.from(bytes).toString('utf8') });
      return [3, 17, 0, -1, bytes.length, 3, 2.5]; // out of range, duplicate and fractional offsets are ignored
    };
    const server = await perTest.start({ eventWrites: splitter });
    const capture = await openRaw(server);
    server.publish('public', 'delete', '12345');
    await capture.waitFor((text) => text.endsWith('\n\n\r\n'));
    expect(seen).toEqual([{ name: 'delete', text: 'event: delete\ndata: 12345\n\n' }]);
    expect(bodyChunks(capture.bytes()).map((chunk) => chunk.toString('utf8'))).toEqual([':)\n', 'eve', 'nt: delete\ndat', 'a: 12345\n\n']);
  });

  it('walks a split through every byte of an event, inside a UTF-8 character too; the bytes add up to the same events', async () => {
    const payload = '{"name":"👍","count":1,"announcement_id":"5"}';
    const eventBytes = Buffer.from(`event: announcement.reaction\ndata: ${payload}\n\n`, 'utf8');
    let next = 1;
    const server = await perTest.start({ eventWrites: () => next++ });
    const capture = await openRaw(server);
    const splits = eventBytes.length - 1;
    for (let index = 0; index < splits; index += 1) server.publish('public', 'announcement.reaction', payload);

    await capture.waitFor(() => bodyChunks(capture.bytes()).length === 1 + 2 * splits);
    const chunks = bodyChunks(capture.bytes()).slice(1);
    for (let index = 0; index < splits; index += 1) {
      const head = chunks[2 * index] ?? Buffer.alloc(0);
      const tail = chunks[2 * index + 1] ?? Buffer.alloc(0);
      expect(head.length).toBe(index + 1);
      expect(Buffer.concat([head, tail]).equals(eventBytes)).toBe(true);
    }
    const cutInsideEmoji = chunks.filter((chunk) => chunk.toString('utf8').includes('\uFFFD'));
    expect(cutInsideEmoji.length).toBe(6); // three cuts inside the 4-byte character, two halves each
    expect(sseEvents(Buffer.concat(chunks).toString('utf8'))).toEqual(Array.from({ length: splits }, () => ({ event: 'announcement.reaction', data: payload })));
  });

  it('a splitter that returns no usable offset writes the event as one chunk', async () => {
    const server = await perTest.start({ eventWrites: () => [] });
    const capture = await openRaw(server);
    server.publish('public', 'delete', '5');
    await capture.waitFor((text) => text.endsWith('\n\n\r\n'));
    expect(bodyChunks(capture.bytes()).map((chunk) => chunk.toString('utf8'))).toEqual([':)\n', 'event: delete\ndata: 5\n\n']);
  });
});
