// What the tests of rules read from Mastodon's streaming source share: a server per test, and
// the probes, raw WebSockets and raw HTTP captures it opened, all closed after each test.
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { RawCapture, getRequest } from './raw-http.js';
import { PUBLIC, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';
import type { RawWebSocket } from './ws-client.js';

export const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
export const BOB_USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1002' } };
export const LOCAL: ProbeStream = { ssePath: '/api/v1/streaming/public/local', wsQuery: 'stream=public:local', target: { stream: 'public:local' } };

/** Opens what a test needs on a server per test; all of it is closed after each test. */
export function createSourceHarness() {
  const perTest = useFakeServer<StreamProbe | RawWebSocket | RawCapture>();
  return {
    start: perTest.start,
    track: perTest.track,
    async probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC, token?: string): Promise<StreamProbe> {
      return perTest.track(await openProbe(s, transport, stream, token));
    },
    /** A raw GET whose response headers have arrived. */
    async raw(s: FakeMastodon, path: string, headers: Record<string, string>): Promise<RawCapture> {
      const capture = perTest.track(await RawCapture.open(s.port, getRequest(path, headers)));
      await capture.waitFor((text) => text.includes('\r\n\r\n'));
      return capture;
    },
  };
}
