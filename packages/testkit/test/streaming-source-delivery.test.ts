// Delivery rules read from Mastodon's streaming server (streaming/index.js) and the Rails service
// that publishes deletes (RemoveStatusService), which no capture shows directly.
import { describe, expect, it } from 'vitest';
import { PUBLIC, TRANSPORTS, eventsBeforeMarker } from './stream-probe.js';
import { BOB_USER, LOCAL, createSourceHarness } from './source-harness.js';

const { start, probeOf } = createSourceHarness();

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
      // Bob owns a token, so each post also notifies him of the mention (FanOutOnWriteService#notify_mentioned_accounts!).
      const mentionOf = (id: string) => ({ event: 'notification', data: expect.stringMatching(new RegExp(`"type":"mention".*"status":\\{"id":"${id}"`)) as unknown });
      expect(events).toEqual([
        mentionOf(notHome.id),
        { event: 'update', data: expect.stringContaining(`"id":"${home.id}"`) },
        mentionOf(home.id),
        { event: 'delete', data: notHome.id },
        { event: 'delete', data: home.id },
        { event: 'delete', data: home.id },
      ]);
    });
  });
}
