import { describe, expectTypeOf, it } from 'vitest';
import type { KnownNotification, Notification, NotificationOf, Report, Status } from '../src/index.js';
import { isKnownNotification } from '../src/schemas.js';

declare const notification: Notification;
const assertNever = (value: never): never => value;

describe('KnownNotification', () => {
  it('narrows by type after the guard: the attached object is there, without `!`', () => {
    if (!isKnownNotification(notification)) return;
    if (notification.type === 'mention') expectTypeOf(notification.status).toEqualTypeOf<Status>();
    if (notification.type === 'admin.report') expectTypeOf(notification.report).toEqualTypeOf<Report>();
    if (notification.type === 'severed_relationships') expectTypeOf(notification.event.target_name).toEqualTypeOf<string | undefined>();
    // @ts-expect-error a misspelt type does not compile against the known union
    if (notification.type === 'mentoin') return;
  });

  it('switches exhaustively over the known types', () => {
    const describe = (n: KnownNotification): string => {
      switch (n.type) {
        case 'mention':
        case 'reblog':
        case 'favourite':
        case 'poll':
        case 'status':
        case 'update':
        case 'quote':
        case 'quoted_update':
          return n.status.id;
        case 'admin.report':
          return n.report.id;
        case 'severed_relationships':
          return n.event.id;
        case 'moderation_warning':
          return n.moderation_warning.id;
        case 'follow':
        case 'follow_request':
        case 'admin.sign_up':
        case 'added_to_collection':
        case 'collection_update':
          return n.account.acct;
        default:
          return assertNever(n);
      }
    };
    expectTypeOf(describe).returns.toEqualTypeOf<string>();
  });

  it('leaves Notification as it was: code that ignores the type still compiles, and a known one is a Notification', () => {
    expectTypeOf(notification.status).toEqualTypeOf<Status | null | undefined>();
    expectTypeOf<NotificationOf<'mention'>>().toExtend<Notification>();
    expectTypeOf<KnownNotification>().toExtend<Notification>();
    // A type no guard has vouched for is not known.
    // @ts-expect-error a plain notification may be of any type
    const known: KnownNotification = notification;
    void known;
  });
});
