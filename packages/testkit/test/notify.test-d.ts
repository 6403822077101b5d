import { describe, expectTypeOf, it } from 'vitest';
import type { FakeMastodon, NotificationFields, NotifyOptions } from '@tootstream/testkit';

// notify()'s options, typed as strictly as every other options object of the testkit: a
// misspelt option is a type error, and the Notification JSON keys a test adds go in `fields`.
declare const server: FakeMastodon;

describe('notify options', () => {
  it('refuses a misspelt option instead of sending it as a JSON key', () => {
    // @ts-expect-error: fromAcount is no option (the sender would silently stay bob)
    server.notify('1001', { type: 'mention', fromAcount: 'carol' });
    // @ts-expect-error: a Notification JSON key goes in fields
    server.notify('1001', { type: 'mention', created_at: '2026-11-28T11:19:33.000Z' });
    expectTypeOf<keyof NotifyOptions>().toEqualTypeOf<'type' | 'status' | 'fromAccount' | 'fields'>();
  });

  it('adds or replaces Notification JSON keys through fields', () => {
    server.notify('1001', { type: 'mention', fields: { created_at: '2026-11-28T11:19:33.000Z' } });
    server.notify('1001', { type: 'admin.report', fields: { report: { id: '9', category: 'spam' }, group_key: undefined } });
    expectTypeOf<NotificationFields['created_at']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error: created_at is a string, as Mastodon renders it
    server.notify('1001', { fields: { created_at: Date.now() } });
  });

  it('refuses in fields the keys an option sets', () => {
    // @ts-expect-error: the sender is fromAccount
    server.notify('1001', { fields: { account: { id: '1003' } } });
    // @ts-expect-error: the type is the type option
    server.notify('1001', { type: 'follow', fields: { type: 'mention' } });
    // @ts-expect-error: the status is the status option
    server.notify('1001', { fields: { status: null } });
  });
});
