import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { sleep } from './sse-client.js';
import { PUBLIC, TRANSPORTS, openProbe, type ProbeEvent, type ProbeStream, type StreamProbe } from './stream-probe.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<StreamProbe>();

// Registered after useFakeServer, so it runs before the server closes (vitest runs after-hooks last first).
afterEach(() => {
  vi.useRealTimers();
});

function start(options: FakeMastodonOptions): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC): Promise<StreamProbe> {
  const probe = await openProbe(s, transport, stream);
  perTest.track(probe);
  return probe;
}

const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
const HASHTAG: ProbeStream = { ssePath: '/api/v1/streaming/hashtag?tag=rust', wsQuery: 'stream=hashtag&tag=rust', target: { stream: 'hashtag', tag: 'rust' } };

/** `event:id` per delivered event (the id of a status payload, or the bare id of a delete). */
function summary(events: ProbeEvent[]): string[] {
  return events.map(({ event, data }) => `${event}:${event === 'delete' ? data : (JSON.parse(data ?? '{}') as { id: string }).id}`);
}

for (const transport of TRANSPORTS) {
  describe(`${transport}: reorder mode (protocol.md §9)`, () => {
    it('a delete published right after its update overtakes it on public and hashtag streams; the late update still arrives', async () => {
      const s = await start({ reorderUpdatesMs: 30 });
      const pub = await probeOf(s, transport);
      const tag = await probeOf(s, transport, HASHTAG);
      const status = s.postStatus({}, { tags: ['rust'] });
      s.deleteStatus(status.id);
      const expected = [`delete:${status.id}`, `update:${status.id}`];
      expect(summary(await pub.waitForEvents((events) => events.length >= 2))).toEqual(expected);
      expect(summary(await tag.waitForEvents((events) => events.length >= 2))).toEqual(expected);
    });

    it('edits are held too, personal streams are not, and publishes further apart than the delay keep their order', async () => {
      const s = await start({ reorderUpdatesMs: 30 });
      const pub = await probeOf(s, transport);
      const user = await probeOf(s, transport, USER);
      const status = s.postStatus();
      await sleep(60);
      s.editStatus(status.id, { content: '<p>edited</p>' });
      s.deleteStatus(status.id);
      expect((await pub.waitForEvents((events) => events.length >= 3)).map((e) => e.event)).toEqual(['update', 'delete', 'status.update']);
      expect((await user.waitForEvents((events) => events.length >= 3)).map((e) => e.event)).toEqual(['update', 'status.update', 'delete']);
    });

    it('is driven by ordinary timers, so a fake clock decides when the held update goes out', async () => {
      const s = await start({ reorderUpdatesMs: 1_000 });
      const pub = await probeOf(s, transport);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const status = s.postStatus();
      s.deleteStatus(status.id);
      s.publish('public', 'unknown_custom_event', '{"n":1}');
      expect((await pub.waitForEvents((events) => events.length >= 2)).map((e) => e.event)).toEqual(['delete', 'unknown_custom_event']);
      vi.advanceTimersByTime(999);
      s.publish('public', 'marker', '{"id":"m"}');
      expect((await pub.waitForEvents((events) => events.length >= 3)).map((e) => e.event)).toEqual(['delete', 'unknown_custom_event', 'marker']);
      vi.advanceTimersByTime(1);
      vi.useRealTimers();
      expect(summary((await pub.waitForEvents((events) => events.length >= 4)).slice(3))).toEqual([`update:${status.id}`]);
    });

    it('setReorderUpdates switches the mode at runtime', async () => {
      const s = await start({});
      const pub = await probeOf(s, transport);
      s.setReorderUpdates(30);
      const first = s.postStatus();
      s.deleteStatus(first.id);
      await pub.waitForEvents((events) => events.length >= 2);
      s.setReorderUpdates(0);
      const second = s.postStatus();
      s.deleteStatus(second.id);
      expect(summary(await pub.waitForEvents((events) => events.length >= 4))).toEqual([
        `delete:${first.id}`,
        `update:${first.id}`,
        `update:${second.id}`,
        `delete:${second.id}`,
      ]);
      expect(() => s.setReorderUpdates(-1)).toThrow(RangeError);
    });
  });
}
