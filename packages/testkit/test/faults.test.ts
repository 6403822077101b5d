import { describe, expect, it, vi } from 'vitest';
import { runInChildProcess } from './child-process-run.js';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, canConnect, dechunk, getRequest } from './raw-http.js';
import { sleep } from './sse-client.js';
import { useFakeServer } from './fake-per-test.js';

const ALICE = { Authorization: 'Bearer peer-test-token' };
const perTest = useFakeServer<RawCapture>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function connectRaw(path = '/api/v1/streaming/public'): Promise<RawCapture> {
  const capture = await RawCapture.open(perTest.current().port, getRequest(path, ALICE));
  perTest.track(capture);
  await capture.waitFor((text) => text.includes(':)\n'));
  return capture;
}

function body(capture: RawCapture): string {
  const text = capture.text();
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

describe('connection endings (protocol.md §10)', () => {
  it('endStreams ends cleanly with the chunked terminator and nothing before it', async () => {
    const s = await start();
    const capture = await connectRaw();
    const connection = await s.waitForConnection();
    s.endStreams();
    await connection.closed;
    await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
    expect(body(capture)).toBe('3\r\n:)\n\r\n0\r\n\r\n');
    expect(connection.isClosed).toBe(true);
    await s.waitForConnectionCount(0);
  });

  it('dropConnections closes the socket without a terminator, optionally mid-frame', async () => {
    const s = await start();
    const plain = await connectRaw();
    const half = await connectRaw('/api/v1/streaming/user');
    await s.waitForConnectionCount(2);
    s.dropConnections((c) => c.stream === 'public');
    s.dropConnections((c) => c.stream === 'user', { midFrame: true });
    await plain.ended;
    await half.ended;
    expect(body(plain)).toBe('3\r\n:)\n\r\n');
    expect(dechunk(body(half))).toBe(':)\nevent: update\ndata: {"id":');
    expect(body(half).endsWith('0\r\n\r\n')).toBe(false);
    await s.waitForConnectionCount(0);
  });

  it.each([
    ['dropConnections', (s: FakeMastodon) => s.dropConnections()],
    ['dropConnections mid-frame', (s: FakeMastodon) => s.dropConnections(undefined, { midFrame: true })],
    ['endStreams', (s: FakeMastodon) => s.endStreams()],
  ])('after %s, the ended connection is isEnding at once and waitForConnection waits for the next one', async (_label, end) => {
    const s = await start();
    await connectRaw();
    const first = await s.waitForConnection();
    end(s);
    expect(first.isEnding).toBe(true);
    // Its socket has not closed yet: the wait used to return it, and a test then published into nothing.
    expect(first.isClosed).toBe(false);
    const next = s.waitForConnection(undefined, { timeoutMs: 2_000 });
    await connectRaw('/api/v1/streaming/public/local');
    expect((await next).id).not.toBe(first.id);
  });

  it('stall stops heartbeats and events but keeps the socket; resume restarts output', async () => {
    const s = await start({ heartbeatIntervalMs: 40 });
    const capture = await connectRaw();
    await capture.waitFor((text) => text.includes(':thump\n'));
    s.stall();
    await sleep(20);
    const frozen = capture.text();
    expect(s.publish('public', 'delete', '1')).toBe(1);
    await sleep(250);
    expect(capture.text()).toBe(frozen);
    expect(s.connections[0]?.isStalled).toBe(true);
    expect(s.connections).toHaveLength(1);
    s.resume();
    s.publish('public', 'delete', '2');
    await capture.waitFor((text) => text.length > frozen.length && text.slice(frozen.length).includes(':thump\n'));
    expect(capture.text().slice(frozen.length)).toContain('data: 2\n\n');
    expect(capture.text()).not.toContain('data: 1\n\n');
  });

  it('stall with keepHeartbeats loses events while heartbeats keep flowing, as during a Redis outage', async () => {
    const s = await start({ heartbeatIntervalMs: 40 });
    const capture = await connectRaw();
    await s.waitForConnection();
    s.stall(undefined, { keepHeartbeats: true });
    expect(s.publish('public', 'delete', '1')).toBe(0);
    const thumps = (): number => capture.text().split(':thump\n').length;
    const before = thumps();
    await capture.waitFor(() => thumps() >= before + 2);
    expect(capture.text()).not.toContain('data: 1\n');
    expect(s.connections[0]?.isStalled).toBe(true);
    s.resume();
    expect(s.publish('public', 'delete', '2')).toBe(1);
    await capture.waitFor((text) => text.includes('data: 2\n\n'));
  });

  it('restart refuses connections while down, then listens again on the same port', async () => {
    const s = await start();
    const capture = await connectRaw();
    const port = s.port;
    const [connection] = s.connections;
    const restarted = s.restart({ downMs: 300 });
    expect(connection?.isEnding).toBe(true);
    await capture.ended;
    expect(body(capture)).toBe('3\r\n:)\n\r\n');
    const refused = await fetch(`${s.url}/api/v1/streaming/health`).then(
      () => 'connected',
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    await restarted;
    expect(s.port).toBe(port);
    const again = await fetch(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });

  it('restart() without options is down for 100 ms', async () => {
    const s = await start();
    const capture = await connectRaw();
    // The down time runs on the server's own (fakeable) timers, so the 100 ms can be counted exactly.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let restarted: Promise<void>;
    try {
      restarted = s.restart();
      await capture.ended;
      await vi.advanceTimersByTimeAsync(99);
      expect(await canConnect(s.port)).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
    } finally {
      vi.useRealTimers();
    }
    await restarted;
    expect(await canConnect(s.port)).toBe(true);
  });
});

describe('scripted failures and output shaping', () => {
  it('failNext answers the next stream connects with the scripted status, headers and body', async () => {
    const s = await start();
    s.failNext({ status: 503, headers: { 'Retry-After': '2' }, times: 2 });
    s.failNext({ status: 502, body: '<html>bad gateway</html>' });
    const health = await fetch(`${s.url}/api/v1/streaming/health`);
    expect(health.status).toBe(200);
    await health.text();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(`${s.url}/api/v1/streaming/user`, { headers: ALICE });
      statuses.push(response.status);
      if (i < 2) {
        expect(response.headers.get('retry-after')).toBe('2');
        expect(await response.json()).toEqual({ error: 'Service Unavailable' });
      } else if (i === 2) {
        expect(await response.text()).toBe('<html>bad gateway</html>');
      } else {
        await response.body?.cancel();
      }
    }
    expect(statuses).toEqual([503, 503, 502, 200]);
    expect(s.totalConnections).toBe(1);
  });

  it('failNext with delayMs leaves the request unanswered that long (slow headers), for stream connects and upgrades alike', async () => {
    const s = await start();
    s.failNext({ status: 503, delayMs: 200, times: 2 });
    const started = performance.now();
    const slow = await RawCapture.open(s.port, getRequest('/api/v1/streaming/public', ALICE));
    perTest.track(slow);
    const upgrade = await RawCapture.open(
      s.port,
      getRequest('/api/v1/streaming', { ...ALICE, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' }),
    );
    perTest.track(upgrade);
    await sleep(100);
    expect(slow.text()).toBe('');
    expect(upgrade.text()).toBe('');
    await slow.waitFor((text) => text.includes('\r\n\r\n'));
    await upgrade.waitFor((text) => text.includes('\r\n\r\n'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(slow.text()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(upgrade.text()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(s.requests.map((request) => request.status)).toEqual([503, 503]);
  });

  it('trickle writes every byte as its own chunk', async () => {
    const s = await start();
    const capture = await connectRaw();
    await s.waitForConnection();
    s.trickle(true);
    s.publish('public', 'delete', '7');
    await capture.waitFor((text) => text.endsWith('1\r\n\n\r\n1\r\n\n\r\n'));
    const expected = 'event: delete\ndata: 7\n\n'.split('').map((char) => `1\r\n${char}\r\n`).join('');
    expect(body(capture)).toBe(`3\r\n:)\n\r\n${expected}`);
    s.trickle(false);
    s.endStreams();
    await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
  });

  it('pushRaw sends arbitrary bytes verbatim as one chunk', async () => {
    const s = await start();
    const capture = await connectRaw();
    await s.waitForConnection();
    s.pushRaw('\uFEFFevent: update\r\ndata: x\r\n\r\n');
    s.pushRaw(new Uint8Array([0x3a, 0x0a]));
    await capture.waitFor((text) => text.endsWith('2\r\n:\n\r\n'));
    expect(body(capture)).toBe('3\r\n:)\n\r\n1d\r\n\uFEFFevent: update\r\ndata: x\r\n\r\n\r\n2\r\n:\n\r\n');
  });

  it('setHealthy(false) turns the health endpoint into a 503', async () => {
    const s = await start();
    s.setHealthy(false);
    expect((await fetch(`${s.url}/api/v1/streaming/health`)).status).toBe(503);
    s.setHealthy(true);
    const healthy = await fetch(`${s.url}/api/v1/streaming/health`);
    expect(healthy.headers.get('content-type')).toBe('text/plain');
    expect(await healthy.text()).toBe('OK');
  });
});

describe('close()', () => {
  it('is idempotent and rejects pending waits', async () => {
    const s = await start();
    const waiting = s.waitForConnection(() => true, { timeoutMs: 60_000 });
    await Promise.all([s.close(), s.close()]);
    await expect(waiting).rejects.toThrow(/closed/);
  });

  it('leaves no handles behind: a child process exits by itself right after close()', async () => {
    const run = await runInChildProcess(`import http from 'node:http';
import { createFakeMastodon } from './testkit.mjs';
const server = await createFakeMastodon({ heartbeatIntervalMs: 50, subscribeDelayMs: 10, reorderUpdatesMs: 60000 });
const agent = new http.Agent({ keepAlive: true });
const get = (path) => new Promise((resolve) => http.get(server.url + path, { agent, headers: { authorization: 'Bearer peer-test-token' } }, resolve));
const streams = await Promise.all([get('/api/v1/streaming/user'), get('/api/v1/streaming/public'), get('/api/v1/streaming/direct')]);
for (const stream of streams) stream.on('data', () => {}).on('error', () => {}).on('aborted', () => {});
// A replay whose second chunk is a minute away: close() must cancel its timer.
server.replayNext([{ atMs: 0, bytes: Buffer.from('HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\n:)\\n\\r\\n') }, { atMs: 60000, bytes: Buffer.from('0\\r\\n\\r\\n') }]);
(await get('/api/v1/streaming/direct')).on('data', () => {}).on('error', () => {}).on('aborted', () => {});
await server.waitForConnectionCount(3);
await server.waitForConnection((c) => c.stream === 'public');
const rest = await get('/api/v1/timelines/home');
rest.resume();
server.stall((c) => c.stream === 'direct');
server.trickle(true);
server.postStatus({}, { tags: ['x'] }); // held for a minute by reorder mode
server.failNext({ status: 504, delayMs: 60000 }); // slow headers: close() must cancel the wait
const seenBefore = server.requests.length;
http.get(server.url + '/api/v1/streaming/user', { agent, headers: { authorization: 'Bearer peer-test-token' } }).on('error', () => {});
// Arrived, and unanswered (status 0) for the whole delay.
while (server.requests.length === seenBefore) await new Promise((resolve) => setTimeout(resolve, 5));
server.failNext({ status: 503, times: 5 });
void server.waitForConnectionCount(99, { timeoutMs: 60000 }).catch(() => {});
void server.restart({ downMs: 60000 }).catch(() => {});
await server.close();
agent.destroy();
console.log('closed');
`);
    expect(run.output).toContain('closed');
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(5_000);
  });
});
