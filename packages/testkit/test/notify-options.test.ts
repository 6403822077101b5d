import { describe, expect, it } from 'vitest';
import type { FakeMastodon, NotifyOptions } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// notify()'s options once took any key as a field of the Notification JSON, so a misspelt
// option (`fromAcount`) kept the default sender and slipped a stray key into the JSON. Now the
// JSON keys go in `fields`, and the options are checked like every other options object.

const { start, openStream } = useFakePerTest();

/** A JavaScript caller, or a cast, gets past the types: what the testkit itself then does. */
const untyped = (options: unknown): NotifyOptions => options as NotifyOptions;

async function servedNotifications(s: FakeMastodon): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: 'Bearer peer-test-token', Accept: 'application/json' } });
  return (await response.json()) as Array<Record<string, unknown>>;
}

describe('notify refuses a name its options do not have', () => {
  it('names the option meant, and creates nothing', async () => {
    const s = await start();
    const call = () => s.notify('1001', untyped({ type: 'mention', fromAcount: 'carol' }));
    expect(call).toThrow(TypeError);
    expect(call).toThrow("FakeMastodon.notify: unknown option 'fromAcount' (did you mean 'fromAccount'?)");
    expect(() => s.notify('1001', untyped({ typ: 'follow' }))).toThrow("unknown option 'typ' (did you mean 'type'?)");
    expect(await servedNotifications(s)).toEqual([]);
    expect(s.notify('1001', { type: 'follow' }).id).toBe('1'); // no id was spent on the refused calls
  });

  it('points a Notification JSON key given next to the options at fields', async () => {
    const s = await start();
    expect(() => s.notify('1001', untyped({ type: 'mention', created_at: '2026-11-28T11:19:33.000Z' }))).toThrow(
      "FakeMastodon.notify: unknown option 'created_at' (known options: type, status, fromAccount, fields; a key of the Notification JSON goes in fields: { fields: { created_at: … } })",
    );
  });

  it('refuses options that are not an object, and fields that are not one', async () => {
    const s = await start();
    expect(() => s.notify('1001', untyped('mention'))).toThrow(/FakeMastodon\.notify: options must be an object/);
    expect(() => s.notify('1001', untyped({ fields: ['created_at'] }))).toThrow('FakeMastodon.notify: fields must be an object of Notification JSON keys, got an array');
  });
});

describe('notify fields', () => {
  it('add or replace keys of the streamed, served and returned Notification JSON', async () => {
    const s = await start();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    const created_at = '2026-11-28T11:19:33.000Z';
    const report = { id: '9', category: 'spam' };
    const returned = s.notify('1001', { type: 'admin.report', fields: { created_at, report, group_key: undefined } });
    await reader.untilEvents(1);

    const streamed = JSON.parse(reader.events[0]?.data ?? '') as Record<string, unknown>;
    const [served] = await servedNotifications(s);
    for (const notification of [returned, streamed, served]) {
      expect(notification).toMatchObject({ type: 'admin.report', created_at, report, group_key: `ungrouped-${returned.id}`, account: { id: '1002' } });
    }
  });

  it('refuse the keys an option sets, so the JSON never says other than what the fake did', async () => {
    const s = await start();
    expect(() => s.notify('1001', untyped({ fields: { account: { id: '1003' } } }))).toThrow(
      "FakeMastodon.notify: fields.account is set by the option 'fromAccount', which the fake also acts on; pass { fromAccount: … } instead",
    );
    expect(() => s.notify('1001', untyped({ type: 'follow', fields: { type: 'mention' } }))).toThrow("fields.type is set by the option 'type'");
    expect(() => s.notify('1001', untyped({ fields: { status: null } }))).toThrow("fields.status is set by the option 'status'");
    expect(await servedNotifications(s)).toEqual([]);
  });
});
