import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { TootstreamError } from '../src/errors.js';
import type { StreamState } from '../src/stream-hooks.js';
import { take, until } from './support/collect.js';
import { runBuiltChild } from './support/run-built-child.js';
import { startSilentServer } from './support/silent-server.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DONE = { done: true, value: undefined };

async function setup() {
  server = await createFakeMastodon();
  return { server, client: createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN }) };
}

/** Runs a loop over `stream` that breaks after its first event, a status posted for it, and returns that status. */
async function loopUntilOneStatus(fake: FakeMastodon, stream: AsyncIterable<unknown>) {
  const first = (async () => {
    for await (const _ of stream) break;
  })();
  await fake.waitForConnection();
  const status = fake.postStatus({}, { account: 'alice' });
  await first;
  return status;
}

describe('abort', () => {
  it('an already aborted signal ends the iteration at once, without a request', async () => {
    const { server, client } = await setup();
    const events: unknown[] = [];
    for await (const event of client.user({ signal: AbortSignal.abort() })) events.push(event);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it.each([['essentials'], ['full']] as const)(
    "an abort or close() while the first connect prepares its decoder (validate: '%s') ends next() at once, and accessToken() is not called",
    async (validate) => {
      const { server } = await setup();
      let tokenCalls = 0;
      // A refresh that never answers: a stream stopped before it asked must not wait for it, nor ask at all.
      const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: () => (tokenCalls++, new Promise<string>(() => {})) });
      // onConnecting is raised as the attempt starts, just before the decoder is prepared.
      const controller = new AbortController();
      const aborted = client.user({ signal: controller.signal, validate, onConnecting: () => controller.abort() });
      const abortedNext = aborted[Symbol.asyncIterator]().next();
      const closed = client.user({ validate, onConnecting: () => void closed.close() });
      const closedNext = closed[Symbol.asyncIterator]().next();
      const pending = new Promise((resolve) => setTimeout(resolve, 1_000, 'still pending'));
      await expect(Promise.race([abortedNext, pending])).resolves.toEqual(DONE);
      await expect(Promise.race([closedNext, pending])).resolves.toEqual(DONE);
      expect(tokenCalls).toBe(0);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('an abort while connecting ends the loop quietly and closes the socket', async () => {
    const silent = await startSilentServer();
    const url = silent.url;
    try {
      const controller = new AbortController();
      const client = createClient({ url, streamingUrl: url, accessToken: TOKEN });
      const loop = (async () => {
        for await (const _ of client.user({ signal: controller.signal })) return 'event';
        return 'ended';
      })();
      await until(() => silent.sockets.length === 1, 5000, 'the request to arrive');
      controller.abort();
      await expect(loop).resolves.toBe('ended');
      await until(() => silent.closedSockets() === 1, 5000, 'the socket to close');
    } finally {
      await silent.close();
    }
  });

  it('an abort while reading ends the loop quietly; the server sees the close', async () => {
    const { server, client } = await setup();
    const controller = new AbortController();
    const states: StreamState[] = [];
    const received: string[] = [];
    const loop = (async () => {
      for await (const event of client.user({ signal: controller.signal, onStateChange: (state) => states.push(state) })) received.push(event.event);
    })();
    const connection = await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await until(() => received.length === 1);
    controller.abort();
    await expect(loop).resolves.toBeUndefined();
    await connection.closed;
    expect(states.at(-1)).toBe('closed');
  });

  it('an abort while the consumer is slow (backpressure wait) ends the loop without a throw', async () => {
    const { server, client } = await setup();
    const controller = new AbortController();
    const loop = (async () => {
      let count = 0;
      for await (const _ of client.user({ signal: controller.signal })) {
        count++;
        if (count === 1) {
          controller.abort();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      return count;
    })();
    const connection = await server.waitForConnection();
    for (let index = 0; index < 20; index++) server.postStatus({}, { account: 'alice' });
    await expect(loop).resolves.toBe(1);
    await connection.closed;
  });
});

describe('closing', () => {
  it('break closes the connection and the server sees it', async () => {
    const { server, client } = await setup();
    const loop = (async () => {
      for await (const _ of client.user()) break;
    })();
    const connection = await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await loop;
    await connection.closed;
    expect(connection.isClosed).toBe(true);
    expect(server.connections).toHaveLength(0);
  });

  it('await using closes the stream at the end of the scope', async () => {
    const { server, client } = await setup();
    const stream = client.user();
    let connection;
    {
      await using scoped = stream;
      const iterator = scoped[Symbol.asyncIterator]();
      const first = take(iterator, 1);
      connection = await server.waitForConnection();
      server.postStatus({}, { account: 'alice' });
      expect(await first).toHaveLength(1);
    }
    await connection.closed;
    expect(stream.stats.state).toBe('closed');
  });

  it('return() while a read is pending closes at once', async () => {
    const { server, client } = await setup();
    const iterator = client.user()[Symbol.asyncIterator]();
    const pending = iterator.next();
    const connection = await server.waitForConnection();
    await iterator.return?.();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await connection.closed;
  });

  it('next() called again before the last call settled waits its turn: one connection, events in order, and return() closes it', async () => {
    const { server, client } = await setup();
    const iterator = client.user()[Symbol.asyncIterator]();
    const pulls = [iterator.next(), iterator.next()];
    const connection = await server.waitForConnection();
    const posted = [server.postStatus({}, { account: 'alice' }), server.postStatus({}, { account: 'alice' })];
    const delivered = await Promise.all(pulls);
    expect(delivered.map((result) => (result.value as { payload: { id: string } }).payload.id)).toEqual(posted.map((status) => status.id));
    const pending = [iterator.next(), iterator.next()];
    await iterator.return?.();
    await expect(Promise.all(pending)).resolves.toEqual([DONE, DONE]);
    await connection.closed;
    expect(server.requests.filter((request) => request.path === '/api/v1/streaming/user')).toHaveLength(1);
    expect(server.connections).toHaveLength(0);
  });

  it('close() ends every loop over the stream object, not only the latest, and closes each connection', async () => {
    const { server, client } = await setup();
    const stream = client.user();
    const loopsEnded: boolean[] = [];
    const drain = async (index: number) => {
      for await (const _ of stream);
      loopsEnded[index] = true;
    };
    const loops = [drain(0), drain(1)];
    await until(() => server.connections.length === 2);
    await stream.close();
    await until(() => loopsEnded[0] === true && loopsEnded[1] === true, 3_000, 'both loops to end');
    await Promise.all(loops);
    await until(() => server.connections.length === 0);
    expect(stream.stats.state).toBe('closed');
  });

  it('after a loop ends, close() has nothing of it left to end: a later loop is the one it closes', async () => {
    const { server, client } = await setup();
    const stream = client.user();
    await loopUntilOneStatus(server, stream);
    await until(() => server.connections.length === 0);
    const loop = (async () => {
      for await (const _ of stream);
    })();
    const connection = await server.waitForConnection();
    await stream.close();
    await loop;
    await connection.closed;
    expect(server.connections).toHaveLength(0);
  });

  it('close() is final: a loop started after it ends at once, without a request, as with an aborted signal, and the cursor stays the last loop\'s', async () => {
    const { server, client } = await setup();
    const stream = client.user();
    const status = await loopUntilOneStatus(server, stream);
    await stream.close();
    const requestsBefore = server.requests.length;
    const events: unknown[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(requestsBefore);
    expect(stream.cursor().lastStatusId).toBe(status.id);
  });
});

describe('hooks that fail', () => {
  it('an async hook that rejects is reported to onError as HOOK_FAILED, like one that throws, never as an unhandled rejection', async () => {
    const { server, client } = await setup();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const reported: Array<{ code: string; cause: unknown }> = [];
      const refetchFailed = new Error('refetch failed');
      const stream = client.user({
        onOpen: async () => {
          throw refetchFailed;
        },
        onStateChange: () => {
          throw new Error('sync');
        },
        onError: (error) => reported.push({ code: error.code, cause: error.cause }),
      });
      const loop = (async () => {
        for await (const _ of stream) break;
      })();
      await server.waitForConnection();
      await until(() => reported.some(({ cause }) => cause === refetchFailed), 3_000, 'the rejection to be reported');
      server.postStatus({}, { account: 'alice' });
      await loop;
      expect(reported.every(({ code }) => code === 'HOOK_FAILED')).toBe(true);
      expect(reported.filter(({ cause }) => cause === refetchFailed)).toHaveLength(1);
      // A turn of the event loop, for an unhandled rejection to be raised if there was one.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an async onError that rejects is logged to the console, never an unhandled rejection', async () => {
    const { server, client } = await setup();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const warned: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      const sinkDown = new Error('sink down');
      const stream = client.user({
        onOpen: () => {
          throw new Error('hook');
        },
        onError: async () => {
          throw sinkDown;
        },
      });
      const loop = (async () => {
        for await (const _ of stream) break;
      })();
      await server.waitForConnection();
      await until(() => warned.some((args) => args.includes(sinkDown)), 3_000, 'the rejection to be logged');
      server.postStatus({}, { account: 'alice' });
      await loop;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      // With the error it was handling: alone, the sink's failure hid which hook failed and why.
      expect(warned.find((args) => args.includes(sinkDown))?.[0]).toMatch(/^\[tootstream\] onError hook threw, handling \w+: onOpen threw: hook:$/);
    } finally {
      console.warn = warn;
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a hook that throws something with no text form (no prototype) is still reported, by name, and the stream goes on', async () => {
    const { server, client } = await setup();
    const reported: TootstreamError[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const iterator = client.user({ onOpen: () => { throw Object.create(null); }, onError: (error) => reported.push(error) })[Symbol.asyncIterator]();
      const first = iterator.next();
      await server.waitForConnection();
      await until(() => reported.length > 0, 3_000, 'the hook failure to be reported');
      const status = server.postStatus({}, { account: 'alice' });
      expect((await first).value).toMatchObject({ payload: { id: status.id } });
      await iterator.return?.();
      expect(reported.map((error) => [error.code, error.message])).toEqual([['HOOK_FAILED', 'onOpen threw']]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('without onError, a reported error is logged to the console as its name and message', async () => {
    const { server, client } = await setup();
    const warned: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      const stream = client.user({
        onOpen: () => {
          throw new Error('hook');
        },
      });
      const loop = (async () => {
        for await (const _ of stream) break;
      })();
      await server.waitForConnection();
      await until(() => warned.length > 0, 3_000, 'the hook failure to be logged');
      server.postStatus({}, { account: 'alice' });
      await loop;
      expect(warned).toEqual([['[tootstream] TootstreamError: onOpen threw: hook']]);
    } finally {
      console.warn = warn;
    }
  });
});

describe('the process exits by itself', () => {
  it('after an abort, after a break, and after a break in the middle of a catch-up, with no timer or socket left behind', () => {
    const run = runBuiltChild(import.meta.url, './support/exit-after-abort.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('aborted: 1 event');
    expect(run.stdout).toContain('broke: 1 event');
    expect(run.stdout).toContain('broke mid-catch-up: first event from catchup');
    expect(run.status).toBe(0);
  });

  it("survives an abort after Node's fetch rejected a catch-up page it cannot decode (more than five content codings)", () => {
    const run = runBuiltChild(import.meta.url, './support/exit-after-undecodable.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ended quietly after 1 event, gap: not-recoverable, catch-up-failed\nsurvived the abort\n');
    expect(run.status).toBe(0);
  });

  it('after an abort in every wait a fault can cause, and after REST calls of a fetch that throws instead of rejecting', () => {
    const run = runBuiltChild(import.meta.url, './support/exit-after-faults.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').slice(0, 6)).toEqual([
      'headers never come: aborted while connecting, ended quietly',
      'error body never ends: aborted while connecting, ended quietly',
      'backoff sleep: aborted while reconnecting, ended quietly',
      'discovery hangs: aborted while connecting, ended quietly',
      'catch-up page never ends: aborted while catching-up, ended quietly',
      'user fetch throws: false base guessed',
    ]);
    // Every timer a fault arms is 10 s or more (REST timeout, connect timeout, stall watchdog, backoff): one left behind shows here.
    const lingered = Number(/exited (\d+) ms after the last phase/.exec(run.stdout)?.[1]);
    expect(lingered).toBeLessThan(3_000);
    expect(run.status).toBe(0);
  });
});
