// Delivery rules read from Mastodon's streaming server (streaming/index.js) and the Rails service
// that publishes deletes (RemoveStatusService), which no capture shows directly.
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { PUBLIC, TRANSPORTS, eventsBeforeMarker, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';
import { connectWebSocket, settle, clientFrame, type RawWebSocket } from './ws-client.js';

let server: FakeMastodon | undefined;
const probes: StreamProbe[] = [];
const sockets: RawWebSocket[] = [];
const captures: RawCapture[] = [];

afterEach(async () => {
  for (const probe of probes.splice(0)) probe.close();
  for (const ws of sockets.splice(0)) ws.close();
  for (const capture of captures.splice(0)) capture.close();
  await server?.close();
  server = undefined;
});

async function start(options?: FakeMastodonOptions): Promise<FakeMastodon> {
  server = await createFakeMastodon(options);
  return server;
}

async function probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC, token?: string): Promise<StreamProbe> {
  const probe = await openProbe(s, transport, stream, token);
  probes.push(probe);
  return probe;
}

async function raw(s: FakeMastodon, path: string, headers: Record<string, string>): Promise<RawCapture> {
  const capture = await RawCapture.open(s.port, getRequest(path, headers));
  captures.push(capture);
  await capture.waitFor((text) => text.includes('\r\n\r\n'));
  return capture;
}

const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
const BOB_USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1002' } };
const LOCAL: ProbeStream = { ssePath: '/api/v1/streaming/public/local', wsQuery: 'stream=public:local', target: { stream: 'public:local' } };

for (const transport of TRANSPORTS) {
  describe(`${transport}: delete fan-out follows RemoveStatusService, not the update rules`, () => {
    it('a public reply to someone else never reaches public streams, but its delete does', async () => {
      const s = await start();
      const pub = await probeOf(s, transport, PUBLIC);
      const local = await probeOf(s, transport, LOCAL);
      const reply = s.postStatus({ in_reply_to_id: '9', in_reply_to_account_id: '1002' });
      s.deleteStatus(reply.id);
      expect(await eventsBeforeMarker(s, pub, PUBLIC.target)).toEqual([{ event: 'delete', data: reply.id }]);
      expect(await eventsBeforeMarker(s, local, LOCAL.target)).toEqual([{ event: 'delete', data: reply.id }]);
    });

    it('accounts mentioned in the status get the delete on their user stream, once more if it was in their home feed', async () => {
      const s = await start();
      const bob = await probeOf(s, transport, BOB_USER, 'peer-test-token-bob');
      const mention = [{ id: '1002', username: 'bob', acct: 'bob', url: 'https://peer.example/@bob' }];
      const notHome = s.postStatus({ mentions: mention }, { homeOf: ['1001'] });
      const home = s.postStatus({ mentions: mention }, { homeOf: ['1001', '1002'] });
      s.deleteStatus(notHome.id);
      s.deleteStatus(home.id);
      const events = await eventsBeforeMarker(s, bob, BOB_USER.target);
      expect(events).toEqual([
        { event: 'update', data: expect.stringContaining(`"id":"${home.id}"`) },
        { event: 'delete', data: notHome.id },
        { event: 'delete', data: home.id },
        { event: 'delete', data: home.id },
      ]);
    });
  });
}
