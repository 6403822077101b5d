// The `fetch` option is user code: it may throw instead of rejecting, or
// resolve to something that is not a Response. Either must end as a typed
// error or a typed report, and leave no timer behind that keeps a process
// alive. (The transport itself is tested against a real server elsewhere;
// here only the user's function misbehaves.)
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { isTootstreamError, MastodonArgumentError, type TootstreamError } from '../src/errors.js';
import { cursorAfterOneStatus } from './support/cursors.js';
import { take } from './support/collect.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Timers alive in this process (the runner may own some: tests compare against a count taken before). */
const liveTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

const throwsAtOnce: typeof fetch = () => {
  throw new TypeError('fetch is not available in this sandbox');
};

describe('a fetch that throws instead of returning a rejected promise', () => {
  it('leaves no REST timer behind: discovery and health() answer, and nothing waits out restTimeoutMs', async () => {
    const before = liveTimers();
    const client = createClient({ url: 'http://127.0.0.1:9', accessToken: TOKEN, fetch: throwsAtOnce, restTimeoutMs: 60_000 });
    await expect(client.health()).resolves.toBe(false);
    await expect(client.streamingBaseUrl()).resolves.toBe('http://127.0.0.1:9');
    expect(liveTimers()).toBeLessThanOrEqual(before);
  });

  it('on the stream itself, a throw is a network failure like a rejection: typed, with the error as its cause, and retried', async () => {
    const client = createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: TOKEN, fetch: throwsAtOnce });
    const loop = (async () => {
      for await (const _ of client.user({ reconnect: { maxAttempts: 1, initialDelayMs: 1, minDelayMs: 1 } }));
    })();
    const error = (await loop.then(() => undefined, (thrown: unknown) => thrown)) as TootstreamError;
    expect(error.code).toBe('RECONNECT_EXHAUSTED');
    expect(error.cause).toMatchObject({ code: 'NETWORK', phase: 'connect', reason: 'fetch is not available in this sandbox', cause: expect.any(TypeError) });
  });

  it('a catch-up whose REST calls throw reports a network error and leaves no timer behind after the stream ends', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const cursor = await cursorAfterOneStatus(server);
    const before = liveTimers();
    const realFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
    const restThrows: typeof fetch = (input, init) => (String(input instanceof Request ? input.url : input).includes('/api/v1/timelines/') ? throwsAtOnce(input, init) : realFetch(input, init));
    const errors: TootstreamError[] = [];
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN, fetch: restThrows, restTimeoutMs: 60_000 });
    const iterator = client.public({}, { cursor, onError: (error) => errors.push(error) })[Symbol.asyncIterator]();
    try {
      const first = take(iterator, 1);
      await server.waitForConnection();
      const status = server.postStatus({}, { account: 'alice' });
      expect((await first).map((event) => (event as { payload: { id: string } }).payload.id)).toEqual([status.id]);
      expect(errors.map((error) => [error.code, error.message])).toEqual([['NETWORK', 'Network error while connecting: fetch is not available in this sandbox']]);
    } finally {
      await iterator.return?.();
    }
    expect(liveTimers()).toBeLessThanOrEqual(before);
  });
});

describe("a fetch the runtime refuses (Deno's permission errors)", () => {
  // What Deno 2 rejects with when --allow-net leaves out the host (NotCapable; Deno 1 named it PermissionDenied). The
  // real case runs in the Deno example step, without --allow-net; here the same error comes through the fetch option.
  it.each(['NotCapable', 'PermissionDenied'])('%s ends the loop with the network error at once: retried, it would fail the same way forever', async (name) => {
    const refused: typeof fetch = async () => {
      throw Object.assign(new Error('Requires net access to "127.0.0.1:9", run again with the --allow-net flag'), { name });
    };
    const reconnects: unknown[] = [];
    const client = createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: TOKEN, fetch: refused });
    const loop = (async () => {
      for await (const _ of client.user({ onReconnecting: (attempt) => reconnects.push(attempt) }));
    })();
    const error = (await loop.then(() => undefined, (thrown: unknown) => thrown)) as TootstreamError;
    expect(error).toMatchObject({ code: 'NETWORK', phase: 'connect', reason: expect.stringContaining('--allow-net'), cause: { name } });
    expect(reconnects).toEqual([]);
  });
});

describe('a port fetch never connects to (the fetch standard\'s bad ports)', () => {
  const openOnce = async (client: ReturnType<typeof createClient>) => {
    const reconnects: unknown[] = [];
    const loop = (async () => {
      for await (const _ of client.user({ onReconnecting: (attempt) => reconnects.push(attempt) }));
    })();
    return { error: (await loop.then(() => undefined, (thrown: unknown) => thrown)) as TootstreamError, reconnects };
  };

  it("ends the loop at once with this runtime's real fetch: retried, it was refused the same way forever", async () => {
    // Port 6000 (X11) is on the list; the runtime refuses before any socket is opened.
    const { error, reconnects } = await openOnce(createClient({ url: 'http://127.0.0.1:6000', streamingUrl: 'http://127.0.0.1:6000', accessToken: TOKEN }));
    expect(error).toMatchObject({ code: 'NETWORK', phase: 'connect', reason: 'bad port' });
    expect(reconnects).toEqual([]);
  });

  it("ends the loop at once with Deno's words for it", async () => {
    const deno: typeof fetch = async () => {
      throw new TypeError('Fetch failed: Requests to port 6000 are blocked');
    };
    const { error, reconnects } = await openOnce(createClient({ url: 'http://127.0.0.1:6000', streamingUrl: 'http://127.0.0.1:6000', accessToken: TOKEN, fetch: deno }));
    expect(error).toMatchObject({ code: 'NETWORK', reason: 'Fetch failed: Requests to port 6000 are blocked' });
    expect(reconnects).toEqual([]);
  });
});

describe('a fetch that resolves to something that is not a Response', () => {
  const eventStreamHeaders = new Headers({ 'content-type': 'text/event-stream' });
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a plain object', {}],
    ['an object with headers but no body', { ok: true, status: 200, headers: eventStreamHeaders }],
  ])('%s ends the loop with a typed error instead of a TypeError from inside the connection', async (_, value) => {
    let calls = 0;
    const client = createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: TOKEN, fetch: async () => (calls++, value as Response) });
    const loop = (async () => {
      for await (const _ of client.user({ reconnect: false }));
    })();
    const error = (await loop.then(() => undefined, (thrown: unknown) => thrown)) as TootstreamError;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).not.toBe('TypeError');
    expect(isTootstreamError(error)).toBe(true);
    expect(calls).toBe(1);
  });

  it('that is not a Response at all is an argument error, never retried', async () => {
    let calls = 0;
    const client = createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: TOKEN, fetch: async () => (calls++, undefined as unknown as Response) });
    const loop = (async () => {
      for await (const _ of client.user());
    })();
    const error = await loop.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MastodonArgumentError);
    expect((error as Error).message).toBe('fetch did not resolve to a Response');
    expect(calls).toBe(1);
  });
});
