import { describe, expectTypeOf, it } from 'vitest';
import type { NotificationType } from '@tootstream/core';
import type {
  AccountWarningJson,
  FakeMastodon,
  FakeNotificationType,
  NotificationFields,
  NotificationJson,
  NotifyOptions,
  RelationshipSeveranceEventJson,
  ReportJson,
  StatusJson,
  StatusNotificationJson,
  StatusNotificationType,
  UnlistedNotificationType,
} from '@tootstream/testkit';
import { unlistedNotificationType } from '@tootstream/testkit';

// notify()'s options, typed as strictly as every other options object of the testkit: a
// misspelt option is a type error, and the Notification JSON keys a test adds go in `fields`.
declare const server: FakeMastodon;

/** The names an open enum lists, without its `string & {}`. */
type NamedIn<OpenEnum> = OpenEnum extends unknown ? (string extends OpenEnum ? never : OpenEnum) : never;

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

describe('notify types', () => {
  it("types `type` as Mastodon 4.5's notification types, and refuses a misspelt one", () => {
    expectTypeOf<Exclude<NotifyOptions['type'], undefined>>().toEqualTypeOf<FakeNotificationType | 'annual_report' | UnlistedNotificationType>();
    // Each known type is one of core's, so a notification goes from the fake to a client's types.
    expectTypeOf<FakeNotificationType>().toExtend<NamedIn<NotificationType>>();
    for (const type of ['mention', 'follow', 'admin.report', 'annual_report', 'quoted_update'] as const) server.notify('1001', { type });
    // @ts-expect-error: 'mentoin' is no type of 4.5's (it would make a typeless notification no client shows)
    server.notify('1001', { type: 'mentoin' });
    // @ts-expect-error: a misspelt type is refused for a status-bearing type's overload too
    server.notify('1001', { type: 'favorite', fromAccount: 'carol' });
    // @ts-expect-error: a type is a string
    server.notify('1001', { type: 5 });
  });

  it('takes a type 4.5 does not list only through unlistedNotificationType, the escape hatch', () => {
    // @ts-expect-error: a fork's type is not one of 4.5's
    server.notify('1001', { type: 'emoji_reaction' });
    const fork = server.notify('1001', { type: unlistedNotificationType('emoji_reaction') }); // still goes out
    expectTypeOf(fork).toEqualTypeOf<NotificationJson>();
    const known: string = 'mention'; // a type known only at run time
    expectTypeOf(server.notify('1001', { type: unlistedNotificationType(known) }).status).toEqualTypeOf<StatusJson | undefined>();
    // What the fake sends stays open: it sends whatever type it was given.
    expectTypeOf<NotificationJson['type']>().toEqualTypeOf<FakeNotificationType | (string & {})>();
  });

  it('types the status of a status-bearing notification as present', () => {
    const mention = server.notify('1001', { type: 'mention', fromAccount: 'bob' });
    expectTypeOf(mention.status.id).toEqualTypeOf<string>();
    expectTypeOf(server.notify('1001')).toEqualTypeOf<StatusNotificationJson>(); // mention is the default
    expectTypeOf(server.notify('1001', { fromAccount: 'carol' }).status).toEqualTypeOf<StatusJson>();
    expectTypeOf(server.notify('1001', { type: undefined }).status).toEqualTypeOf<StatusJson>();
    for (const type of ['reblog', 'favourite', 'poll', 'status', 'update', 'quote', 'quoted_update'] as const) {
      expectTypeOf(server.notify('1001', { type }).status).toEqualTypeOf<StatusJson>();
    }
    expectTypeOf<StatusNotificationType>().toEqualTypeOf<'mention' | 'reblog' | 'favourite' | 'poll' | 'status' | 'update' | 'quote' | 'quoted_update'>();
  });

  it('keeps the status optional for the other types and for an unlisted one', () => {
    expectTypeOf(server.notify('1001', { type: 'follow' }).status).toEqualTypeOf<StatusJson | undefined>();
    expectTypeOf(server.notify('1001', { type: 'admin.report' }).status).toEqualTypeOf<StatusJson | undefined>();
    const type = unlistedNotificationType('mention');
    expectTypeOf(server.notify('1001', { type }).status).toEqualTypeOf<StatusJson | undefined>();
    // @ts-expect-error: a follow may have no status
    void server.notify('1001', { type: 'follow' }).status.id;
  });

  it('types the objects the moderation types attach, as optional keys of any notification', () => {
    expectTypeOf(server.notify('1001', { type: 'admin.report' }).report).toEqualTypeOf<ReportJson | undefined>();
    expectTypeOf(server.notify('1001', { type: 'severed_relationships' }).event).toEqualTypeOf<RelationshipSeveranceEventJson | undefined>();
    expectTypeOf(server.notify('1001', { type: 'moderation_warning' }).moderation_warning).toEqualTypeOf<AccountWarningJson | undefined>();
    expectTypeOf<ReportJson['forwarded']>().toEqualTypeOf<boolean | null>();
    expectTypeOf<ReportJson['target_account']['acct']>().toEqualTypeOf<string>();
  });
});
