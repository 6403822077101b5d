import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordStream, type FakeMastodon } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { connectWebSocket, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';
import { importTestkitOnFakeTimers } from './fresh-testkit.js';

// A wait's predicate is the test's code. When it throws (JSON.parse of a body-less request is
// the usual case), only that wait may fail: the fake must keep serving every later request and
// socket, and nothing may escape as an uncaught exception or unhandled rejection.
const ALICE = { Authorization: 'Bearer peer-test-token' };

const escaped: unknown[] = [];
const onEscape = (error: unknown): void => void escaped.push(error);

// Vitest runs after-hooks last registered first. This one, registered before useFakeServer, runs
// once the server has closed, so what escapes the close is still caught; real timers come back
// (the hook after useFakeServer) before the close.
afterEach(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  escaped.length = 0;
});
const perTest = useFakeServer<RawCapture | RawWebSocket>();
afterEach(() => {
  vi.useRealTimers();
});

async function start(): Promise<FakeMastodon> {
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  return await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
}

async function openPublicStream(fake: FakeMastodon): Promise<RawCapture> {
  const stream = await RawCapture.open(fake.port, getRequest('/api/v1/streaming/public', ALICE));
  perTest.track(stream);
  return stream;
}

/** Lets every pending callback (socket reads, rechecks, rejections) run. */
const settleEverything = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('a wait predicate that throws', () => {
  it('rejects waitForRequest at once, naming the wait, with the thrown error as cause', async () => {
    const s = await start();
    await fetch(`${s.url}/api/v1/instance`).then((response) => response.text());
    let calls = 0;
    const wait = s.waitForRequest((request) => {
      calls += 1;
      return (JSON.parse(request.body as string) as { status: string }).status === 'hi';
    });
    const error = (await wait.then(() => undefined, (reason: unknown) => reason)) as Error;
    expect(error.message).toMatch(/predicate given to waitForRequest \(waiting for a matching request\) threw: .*JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);

    // The wait is gone: later requests do not run the predicate again, and a stream connect is served.
    const stream = await openPublicStream(s);
    await s.waitForConnection();
    s.postStatus();
    await stream.waitFor((text) => text.includes('event: update'));
    await settleEverything();
    expect(calls).toBe(1);
    expect(escaped).toEqual([]);
  });

  it('serves the stream connect whose recheck makes the predicate throw, and rejects only the wait', async () => {
    const s = await start();
    const wait = s.waitForRequest((request) => {
      if (request.path.startsWith('/api/v1/streaming/')) throw new Error('no body on a stream connect');
      return false;
    });
    const rejected = wait.then(() => 'resolved', (error: Error) => error.message);
    const stream = await openPublicStream(s);
    expect(await rejected).toMatch(/waitForRequest .*threw: no body on a stream connect/);
    await s.waitForConnection();
    s.postStatus();
    await stream.waitFor((text) => text.startsWith('HTTP/1.1 200 OK') && text.includes('event: update'));
    await settleEverything();
    expect(escaped).toEqual([]);
  });

  it('rejects waitForConnection and waitForWebSocket the same way, and later subscriptions still work', async () => {
    const s = await start();
    // Handlers attached now: each wait rejects as soon as its first candidate arrives.
    const connectionWait = s.waitForConnection(() => {
      throw new Error('bad connection predicate');
    }).catch((error: Error) => error);
    const socketWait = s.waitForWebSocket(() => {
      throw new Error('bad socket predicate');
    }).catch((error: Error) => error);
    const stream = await openPublicStream(s);
    expect((await connectionWait) as Error).toHaveProperty('message', expect.stringMatching(/predicate given to waitForConnection \(waiting for a subscribed connection\) threw: bad connection predicate/));
    const { ws } = await connectWebSocket(s, '/api/v1/streaming?stream=public', ALICE);
    perTest.track(ws);
    expect((await socketWait) as Error).toHaveProperty('message', expect.stringMatching(/predicate given to waitForWebSocket \(waiting for a matching WebSocket\) threw: bad socket predicate/));

    await s.waitForWebSocket((socket) => socket.subscriptions.length === 1);
    await s.waitForConnection();
    s.postStatus();
    await stream.waitFor((text) => text.includes('event: update'));
    await ws.waitForTexts(1);
    await settleEverything();
    expect(escaped).toEqual([]);
  });

  it('clears the timer of the rejected wait', async () => {
    // Wait timeouts run on the real timers captured at load: a copy loaded on fake ones lets vitest count them.
    const { createFakeMastodon } = await importTestkitOnFakeTimers();
    const s = await createFakeMastodon({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    try {
      const wait = s.waitForRequest(() => {
        throw new Error('always');
      });
      expect(vi.getTimerCount()).toBe(1);
      const rejected = expect(wait).rejects.toThrow(/always/);
      await fetch(`${s.url}/api/v1/instance`).then((response) => response.text());
      await rejected;
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
      await s.close();
    }
  });

  it("rejects recordStream's waitFor and stops running it on later reads", async () => {
    const s = await start();
    const recording = await recordStream(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    await s.waitForConnection();
    let calls = 0;
    const wait = recording.waitFor((text) => {
      calls += 1;
      if (text.includes(':)')) throw new Error('recording predicate');
      return false;
    });
    await expect(wait).rejects.toThrow(/recordStream: the predicate given to waitFor threw: recording predicate/);
    const callsAtRejection = calls;
    s.postStatus();
    await recording.waitFor((text) => text.includes('event: update'));
    await recording.stop();
    expect(calls).toBe(callsAtRejection);
    expect(escaped).toEqual([]);
  });
});
