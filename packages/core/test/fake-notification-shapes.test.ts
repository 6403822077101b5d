import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { FakeNotificationType } from '@tootstream/testkit';
import { fakePerTest } from './support/fake-per-test.js';
import { NotificationEssentialsSchema, NotificationSchema, PollSchema, isKnownNotification } from '../src/schemas.js';

// The testkit's notifications are what core's users test against: each type the fake knows (4.5's)
// must pass core's default (essentials) and 'full' validation and be a KnownNotification, with the
// object its type attaches. The fake once sent `admin.report`, `severed_relationships` and
// `moderation_warning` without theirs, and a `poll` whose status had no poll.

// Written as an object so that a type added to FakeNotificationType but not here fails to compile.
const FAKE_TYPES = Object.keys({
  mention: true,
  reblog: true,
  follow: true,
  favourite: true,
  poll: true,
  follow_request: true,
  status: true,
  update: true,
  'admin.sign_up': true,
  'admin.report': true,
  severed_relationships: true,
  moderation_warning: true,
  quote: true,
  quoted_update: true,
} satisfies Record<FakeNotificationType, true>) as FakeNotificationType[];

const startFake = fakePerTest();

describe("the testkit's notifications and core's validation", () => {
  it('every type the fake knows passes the essentials and the full schema, and is a KnownNotification', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    for (const type of FAKE_TYPES) {
      const json: unknown = JSON.parse(JSON.stringify(server.notify('1001', { type })));
      expect(v.is(NotificationEssentialsSchema, json), type).toBe(true);
      const full = v.safeParse(NotificationSchema, json);
      expect(full.issues, type).toBeUndefined();
      if (full.success) expect(isKnownNotification(full.output), type).toBe(true);
    }
  });

  it("a poll notification's status carries a Poll", async () => {
    const server = await startFake({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    const poll = server.notify('1001', { type: 'poll' }).status.poll;
    expect(v.safeParse(PollSchema, poll).issues).toBeUndefined();
  });

  it('a report filed over the API on a remote account without `forward` has forwarded: null (4.5), which the full schema takes', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    const notification = server.notify('1001', { type: 'admin.report' });
    const json: unknown = JSON.parse(JSON.stringify({ ...notification, report: { ...notification.report, forwarded: null } }));
    expect(v.safeParse(NotificationSchema, json).issues).toBeUndefined();
  });
});
