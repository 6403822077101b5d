import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { afterEach } from 'vitest';
import { StreamReader } from './sse-client.js';

export interface FakeServerPerTest<Client extends { close(): void }> {
  /** Starts this test's server with exactly these options, closing the one it started before (and its clients) first. */
  start(options?: FakeMastodonOptions): Promise<FakeMastodon>;
  /** The server this test started; throws before `start()`. */
  current(): FakeMastodon;
  /** Hands `client` back, to be closed after this test before the server is. */
  track<C extends Client>(client: C): C;
  /** What the end of the test would do, now: for a test that starts one server after another. */
  closeAll(): Promise<void>;
}

/**
 * A fake server per test and the clients the test opens on it, all closed after each test. The
 * clients go first: the server's close waits for the connections still open to it.
 *
 * @example
 * const perTest = useFakeServer<RawCapture>();
 * it('streams', async () => {
 *   const s = await perTest.start({ heartbeatIntervalMs: 0 });
 *   const capture = perTest.track(await RawCapture.open(s.port, getRequest('/api/v1/streaming/public', ALICE)));
 * });
 */
export function useFakeServer<Client extends { close(): void } = { close(): void }>(): FakeServerPerTest<Client> {
  let server: FakeMastodon | undefined;
  const clients: Client[] = [];
  const closeAll = async (): Promise<void> => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  };
  afterEach(closeAll);
  return {
    start: async (options) => {
      // A second start in one test would otherwise leave the first server listening past the test.
      await closeAll();
      return (server = await createFakeMastodon(options));
    },
    current: () => {
      if (!server) throw new Error('no server: call start() first');
      return server;
    },
    track: (client) => {
      clients.push(client);
      return client;
    },
    closeAll,
  };
}

/**
 * `useFakeServer` for tests that read SSE streams and compare exact event sequences, so
 * heartbeats and pings are off. `options` go to `createFakeMastodon` on top of that, and the
 * options one `start` is given on top of those, key by key (a `viewers` given to `start`
 * replaces the shared `viewers` whole, as any other key does).
 *
 * @example
 * const { start } = useFakePerTest({ viewers: { '1001': { mutes: ['1002'] } } });
 * const s = await start({ viewers: { '1001': { blocks: ['1003'] } } }); // this test only
 */
export function useFakePerTest(options: FakeMastodonOptions = {}): {
  start(overrides?: FakeMastodonOptions): Promise<FakeMastodon>;
  /** The server this test started; throws before `start()`. */
  current(): FakeMastodon;
  openStream(server: FakeMastodon, path: string, token?: string): Promise<StreamReader>;
} {
  const perTest = useFakeServer<StreamReader>();
  return {
    start: (overrides = {}) => perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0, ...options, ...overrides }),
    current: perTest.current,
    openStream: async (server, path, token) => perTest.track(await StreamReader.open(`${server.url}/api/v1/streaming/${path}`, token)),
  };
}

let markers = 0;

/**
 * The events a stream got before a marker event published to `target` now: once the marker is in,
 * everything published before it is too, so "nothing else arrived" can be asserted. Markers are
 * left out.
 */
export async function eventsBeforeMarker(fake: FakeMastodon, reader: StreamReader, target: Parameters<FakeMastodon['publish']>[0]): Promise<Array<{ event: string; data: string }>> {
  const marker = `marker-${(markers += 1)}`;
  fake.publish(target, 'marker', marker);
  const isMarker = (event: { event: string; data: string }) => event.event === 'marker' && event.data === marker;
  await reader.until((r) => r.events.some(isMarker));
  const events = reader.events;
  return events.slice(0, events.findIndex(isMarker)).filter((event) => event.event !== 'marker');
}
