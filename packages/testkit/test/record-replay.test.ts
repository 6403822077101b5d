import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeMastodon, formatReads, parseReads, recordStream, type FakeMastodon, type RecordedChunk, type StreamRecording } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { RawCapture, getRequest } from './raw-http.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/real-mastodon-4.5.7', import.meta.url));
const SSE_CAPTURES = readdirSync(FIXTURES)
  .filter((name) => name.startsWith('sse-') && name.endsWith('.reads.txt'))
  .map((name) => name.slice(0, -'.reads.txt'.length))
  .sort();

let server: FakeMastodon | undefined;
let capture: RawCapture | undefined;
const recordings: StreamRecording[] = [];

afterEach(async () => {
  capture?.close();
  capture = undefined;
  for (const recording of recordings.splice(0)) await recording.stop();
  await server?.close();
  server = undefined;
});

const ALICE = { Authorization: 'Bearer peer-test-token' };
const concat = (chunks: readonly RecordedChunk[]): Buffer => Buffer.concat(chunks.map((chunk) => chunk.bytes));
const hex = (chunks: ReadonlyArray<Uint8Array>): string[] => chunks.map((bytes) => Buffer.from(bytes).toString('hex'));

/** Holds each chunk back until the client has read every byte before it, so no two chunks share a read. */
function oneReadPerChunk(chunks: readonly RecordedChunk[], received: () => number) {
  return async (index: number): Promise<void> => {
    const before = concat(chunks.slice(0, index)).length;
    while (received() < before) await new Promise((resolve) => setTimeout(resolve, 1));
  };
}

describe('the .reads.txt format', () => {
  it('finds all nine SSE captures', () => {
    expect(SSE_CAPTURES).toHaveLength(9);
  });

  for (const name of SSE_CAPTURES) {
    it(`${name}: the reads add up to the .raw bytes, and formatting gives the file back byte for byte`, () => {
      const text = readFixtureText(`${name}.reads.txt`);
      const chunks = parseReads(text);
      expect(concat(chunks).equals(readFileSync(`${FIXTURES}/${name}.raw`))).toBe(true);
      expect(formatReads(chunks)).toBe(text);
    });
  }

  it('a read that splits a UTF-8 character is written as hex and read back unchanged', () => {
    const thumbs = Buffer.from('data: 👍\n', 'utf8');
    const chunks: RecordedChunk[] = [
      { atMs: 3.4, bytes: thumbs.subarray(0, 8) },
      { atMs: 12, bytes: thumbs.subarray(8) },
    ];
    const text = formatReads(chunks);
    expect(text).toBe(`+     3ms 0x${thumbs.subarray(0, 8).toString('hex')}\n+    12ms 0x${thumbs.subarray(8).toString('hex')}\n`);
    expect(hex(parseReads(text).map((chunk) => chunk.bytes))).toEqual(hex(chunks.map((chunk) => chunk.bytes)));
  });

  it('rejects lines in neither form, naming the line', () => {
    expect(() => parseReads('+     4ms "ok"\n\nnot a read\n')).toThrow(/line 3/);
  });
});

describe('replayNext: a recording served as the SSE response', () => {
  for (const name of SSE_CAPTURES) {
    it(`${name}: the client receives the .raw bytes with the recorded read boundaries`, async () => {
      server = await createFakeMastodon();
      const chunks = parseReads(readFixtureText(`${name}.reads.txt`));
      server.replayNext(chunks, { timeScale: 0, beforeChunk: oneReadPerChunk(chunks, () => capture?.bytes().length ?? 0) });
      capture = await RawCapture.open(server.port, getRequest('/api/v1/streaming/user', ALICE));
      const raw = readFileSync(`${FIXTURES}/${name}.raw`);
      await capture.waitFor(() => (capture?.bytes().length ?? 0) >= raw.length);
      expect(capture.bytes().equals(raw)).toBe(true);
      expect(hex(capture.chunks())).toEqual(hex(chunks.map((chunk) => chunk.bytes)));
      expect(server.requests.at(-1)?.status).toBe(200);
      expect(server.connections).toHaveLength(0);
    });
  }

  it('keeps the recorded timing, scaled', async () => {
    server = await createFakeMastodon();
    // sse-kill: the head and ':)' at 12 ms, the last chunk at 775 ms. No upper bound in milliseconds (a loaded runner
    // can stretch any wait): the scaled delays are read off the timers the replay sets, the rest is a lower bound and
    // an ordering that only a process stalled for the whole 190 ms gap could upset.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const dueAt: number[] = [];
    let firstReadAt: number;
    let delays: unknown[] = [];
    try {
      server.replayNext(readFixtureText('sse-kill.reads.txt'), { timeScale: 0.25, beforeChunk: (index) => void (dueAt[index] = performance.now()) });
      capture = await RawCapture.open(server.port, getRequest('/api/v1/streaming/user', ALICE));
      await capture.waitFor((text) => text.includes('\r\n\r\n3\r\n:)\n\r\n'));
      firstReadAt = performance.now();
      await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
    } finally {
      delays = timers.mock.calls.map((call) => call[1]);
      timers.mockRestore();
    }
    // Scaled, then rounded up to whole milliseconds as every duration of the testkit is (durations.ts).
    expect(delays).toContain(Math.ceil(12 * 0.25));
    expect(delays).toContain(Math.ceil((775 - 12) * 0.25));
    // The first chunk is written at its own time, not held back with the last one ...
    expect(firstReadAt).toBeLessThan(dueAt[1] ?? -Infinity);
    // ... and the last one waits its scaled gap after it, less a little for timer granularity.
    expect((dueAt[1] ?? 0) - (dueAt[0] ?? Infinity)).toBeGreaterThanOrEqual(185);
  });

  it('is used once, by a stream connect (REST calls and later connects are live); close() stops a replay mid-way', async () => {
    server = await createFakeMastodon();
    const slow: RecordedChunk[] = [
      { atMs: 0, bytes: Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\n') },
      { atMs: 60_000, bytes: Buffer.from('later') },
    ];
    server.replayNext(slow);
    expect((await fetch(`${server.url}/api/v1/timelines/public`)).status).toBe(200);
    capture = await RawCapture.open(server.port, getRequest('/api/v1/streaming/public', ALICE));
    await capture.waitFor((text) => text.includes('\r\n\r\n'));
    expect(server.requests.at(-1)?.status).toBe(503);
    const live = await fetch(`${server.url}/api/v1/streaming/public`, { headers: ALICE });
    expect(live.status).toBe(200);
    await live.body?.cancel();
    await server.close();
    expect(capture.text()).not.toContain('later');
  });
});

describe('recordStream: recording the fake (or any server) read by read', () => {
  it("waitFor takes its timeout as { timeoutMs }, as the server's waits do, and still as a bare number", async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const recording = await recordStream(`${server.url}/api/v1/streaming/public`, { headers: ALICE });
    recordings.push(recording);
    await server.waitForConnection();
    setTimeout(() => server?.postStatus(), 50);
    await recording.waitFor((text) => text.includes('event: update'), { timeoutMs: 2_000 });
    await expect(recording.waitFor(() => false, { timeoutMs: 30 })).rejects.toThrow('timed out after 30 ms');
    await expect(recording.waitFor(() => false, 30)).rejects.toThrow('timed out after 30 ms');
  });

  it('records a live stream; replaying the recording and recording again gives the same bytes and reads', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 150 });
    const first = await recordStream(`${server.url}/api/v1/streaming/public`, { headers: ALICE });
    recordings.push(first);
    await server.waitForConnection();
    const status = server.postStatus({ content: '<p>récit 👍</p>' });
    await first.waitFor((text) => text.includes('"filtered":[]}\n\n'));
    server.deleteStatus(status.id);
    await first.waitFor((text) => text.includes(':thump\n'));
    server.revokeToken('peer-test-token');
    // The body ends but the keep-alive socket stays open, as on the real server: hang up.
    await first.waitFor((text) => text.endsWith('0\r\n\r\n'));
    const recorded = await first.stop();
    expect(Buffer.concat(recorded.map((c) => c.bytes)).toString('utf8')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*event: delete\n[\s\S]*:thump\n\r\n0\r\n\r\n$/);
    expect(recorded.every((chunk, index) => index === 0 || chunk.atMs >= (recorded[index - 1]?.atMs ?? 0))).toBe(true);

    const reparsed = parseReads(formatReads(recorded));
    expect(hex(reparsed.map((c) => c.bytes))).toEqual(hex(recorded.map((c) => c.bytes)));
    let second: StreamRecording | undefined;
    server.replayNext(reparsed, { timeScale: 0, beforeChunk: oneReadPerChunk(reparsed, () => concat(second?.chunks ?? []).length), afterLast: 'end' });
    second = await recordStream(`${server.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
    recordings.push(second);
    const replayed = await second.finished;
    expect(hex(replayed.map((c) => c.bytes))).toEqual(hex(recorded.map((c) => c.bytes)));
  });

  it('stops by itself after durationMs, and on stop()', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const timed = await recordStream(new URL('/api/v1/streaming/public', server.url), { headers: ALICE, durationMs: 80 });
    const chunks = await timed.finished;
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8')).toMatch(/\r\n\r\n3\r\n:\)\n\r\n$/);
    const stopped = await recordStream(`${server.url}/api/v1/streaming/health`);
    await stopped.waitFor((text) => text.endsWith('2\r\nOK\r\n0\r\n\r\n'));
    expect((await stopped.stop()).length).toBeGreaterThan(0);
    await server.waitForConnectionCount(0);
  });
});
