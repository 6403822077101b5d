import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Account,
  Announcement,
  AnnouncementReaction,
  AnnouncementReactionPayloadSchema,
  Conversation,
  CustomEmoji,
  MediaAttachment,
  Notification,
  NotificationSchema,
  NotificationType,
  Status,
  StatusSchema,
  payloadSchemas,
} from '../src/schemas.js';

describe('inferred entity types', () => {
  it('types statuses', () => {
    expectTypeOf<Status['id']>().toEqualTypeOf<string>();
    expectTypeOf<Status['account']>().toEqualTypeOf<Account>();
    expectTypeOf<Status['reblog']>().toEqualTypeOf<Status | null>();
    expectTypeOf<Status['edited_at']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Status['favourited']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Status['emojis']>().toEqualTypeOf<CustomEmoji[]>();
    expectTypeOf<Status['media_attachments']>().toEqualTypeOf<MediaAttachment[]>();
    expectTypeOf<v.InferOutput<typeof StatusSchema>>().toEqualTypeOf<Status>();
  });

  it('keeps known enum literals while accepting any string', () => {
    expectTypeOf<'public'>().toExtend<Status['visibility']>();
    expectTypeOf<'local'>().toExtend<Status['visibility']>();
    expectTypeOf<Status['visibility']>().toExtend<string>();
    expectTypeOf<'quoted_update'>().toExtend<NotificationType>();
    expectTypeOf<Notification['type']>().toEqualTypeOf<NotificationType>();
    expectTypeOf<number>().not.toExtend<Status['visibility']>();
  });

  it('types notifications, conversations and announcements', () => {
    expectTypeOf<Notification['status']>().toEqualTypeOf<Status | null | undefined>();
    expectTypeOf<Notification['account']>().toEqualTypeOf<Account>();
    expectTypeOf<Notification['group_key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<v.InferOutput<typeof NotificationSchema>>().toEqualTypeOf<Notification>();
    expectTypeOf<Conversation['last_status']>().toEqualTypeOf<Status | null>();
    expectTypeOf<Conversation['accounts']>().toEqualTypeOf<Account[]>();
    expectTypeOf<Announcement['read']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<AnnouncementReaction['count']>().toEqualTypeOf<number>();
    expectTypeOf<v.InferOutput<typeof AnnouncementReactionPayloadSchema>>().toEqualTypeOf<AnnouncementReaction>();
    expectTypeOf<Account['moved']>().toEqualTypeOf<Account | null | undefined>();
  });

  it('maps events to essentials and full schemas', () => {
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['update']['full']>>().toEqualTypeOf<Status>();
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['notification']['full']>>().toEqualTypeOf<Notification>();
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['update']['essentials']>['account']>().toEqualTypeOf<{
      id: string;
      acct: string;
    }>();
  });
});
