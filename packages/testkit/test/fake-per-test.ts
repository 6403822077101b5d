import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach } from 'vitest';
import { StreamReader } from './sse-client.js';

type FakeOptions = NonNullable<Parameters<typeof createFakeMastodon>[0]>;

/**
 * A fake server per test and the SSE readers opened on it, all closed after each test (the readers
 * first, so the server's close does not wait on them). Heartbeats and pings are off: these tests
 * compare exact event sequences. `options` go to `createFakeMastodon` on top of that, and the
 * options one `start` is given on top of those, key by key (a `viewers` given to `start`
 * replaces the shared `viewers` whole, as any other key does).
 *
 * @example
 * const { start } = useFakePerTest({ viewers: { '1001': { mutes: ['1002'] } } });
 * const s = await start({ viewers: { '1001': { blocks: ['1003'] } } }); // this test only
 */
export function useFakePerTest(options: FakeOptions = {}): {
  start(overrides?: FakeOptions): Promise<FakeMastodon>;
  /** The server this test started; throws before `start()`. */
  current(): FakeMastodon;
  openStream(server: FakeMastodon, path: string, token?: string): Promise<StreamReader>;
} {
  let server: FakeMastodon | undefined;
  const readers: StreamReader[] = [];
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await server?.close();
    server = undefined;
  });
  return {
    start: async (overrides = {}) => (server = await createFakeMastodon({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0, ...options, ...overrides })),
    current: () => {
      if (!server) throw new Error('no server: call start() first');
      return server;
    },
    openStream: async (fake, path, token) => {
      const reader = await StreamReader.open(`${fake.url}/api/v1/streaming/${path}`, token);
      readers.push(reader);
      return reader;
    },
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
