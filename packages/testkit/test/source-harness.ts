// What the tests of rules read from Mastodon's streaming source share: a server per test, and
// the probes, raw WebSockets and raw HTTP captures it opened, all closed after each test.
import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { PUBLIC, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';
import type { RawWebSocket } from './ws-client.js';

export const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
export const BOB_USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1002' } };
export const LOCAL: ProbeStream = { ssePath: '/api/v1/streaming/public/local', wsQuery: 'stream=public:local', target: { stream: 'public:local' } };

/** Opens what a test needs and remembers it; `dispose` (for `afterEach`) closes it all. */
export function createSourceHarness() {
  let server: FakeMastodon | undefined;
  const probes: StreamProbe[] = [];
  const sockets: RawWebSocket[] = [];
  const captures: RawCapture[] = [];
  return {
    sockets,
    async start(options?: FakeMastodonOptions): Promise<FakeMastodon> {
      server = await createFakeMastodon(options);
      return server;
    },
    async probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC, token?: string): Promise<StreamProbe> {
      const probe = await openProbe(s, transport, stream, token);
      probes.push(probe);
      return probe;
    },
    /** A raw GET whose response headers have arrived. */
    async raw(s: FakeMastodon, path: string, headers: Record<string, string>): Promise<RawCapture> {
      const capture = await RawCapture.open(s.port, getRequest(path, headers));
      captures.push(capture);
      await capture.waitFor((text) => text.includes('\r\n\r\n'));
      return capture;
    },
    async dispose(): Promise<void> {
      for (const probe of probes.splice(0)) probe.close();
      for (const ws of sockets.splice(0)) ws.close();
      for (const capture of captures.splice(0)) capture.close();
      await server?.close();
      server = undefined;
    },
  };
}
