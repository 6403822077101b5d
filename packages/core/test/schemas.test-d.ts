import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Account,
  AccountWarning,
  Announcement,
  AnnouncementReaction,
  AnnouncementSchema,
  AnnouncementStatus,
  AnnouncementReactionPayloadSchema,
  Conversation,
  CustomEmoji,
  FilterResult,
  MediaAttachment,
  Mention,
  Notification,
  NotificationSchema,
  NotificationType,
  Poll,
  PreviewCard,
  Quote,
  QuoteApproval,
  Reaction,
  RelationshipSeveranceEvent,
  Report,
  ShallowQuote,
  Status,
  StatusSchema,
  StatusTag,
  StatusVisibility,
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
    // A schema's own output keeps valibot's index signature (the schemas are loose); it still is a Status.
    expectTypeOf<v.InferOutput<typeof StatusSchema>>().toExtend<Status>();
  });

  it('keeps known enum literals while accepting any string', () => {
    expectTypeOf<'public'>().toExtend<Status['visibility']>();
    expectTypeOf<'local'>().toExtend<Status['visibility']>();
    expectTypeOf<Status['visibility']>().toExtend<string>();
    expectTypeOf<Status['visibility']>().toEqualTypeOf<StatusVisibility>();
    expectTypeOf<'quoted_update'>().toExtend<NotificationType>();
    expectTypeOf<Notification['type']>().toEqualTypeOf<NotificationType>();
    expectTypeOf<number>().not.toExtend<Status['visibility']>();
  });

  it('types notifications, conversations and announcements', () => {
    expectTypeOf<Notification['status']>().toEqualTypeOf<Status | null | undefined>();
    expectTypeOf<Notification['account']>().toEqualTypeOf<Account>();
    expectTypeOf<Notification['group_key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<v.InferOutput<typeof NotificationSchema>>().toExtend<Notification>();
    expectTypeOf<Conversation['last_status']>().toEqualTypeOf<Status | null>();
    expectTypeOf<Conversation['accounts']>().toEqualTypeOf<Account[]>();
    expectTypeOf<Announcement['read']>().toEqualTypeOf<boolean | undefined>();
    // 4.3+ sends each linked status whole, 4.2 only id and url: both are promised, the rest may be there.
    expectTypeOf<Announcement['statuses']>().toEqualTypeOf<AnnouncementStatus[]>();
    expectTypeOf<AnnouncementStatus['url']>().toEqualTypeOf<string | null>();
    expectTypeOf<AnnouncementStatus['account']>().toEqualTypeOf<Account | undefined>();
    expectTypeOf<{ id: string; url: null }>().toExtend<AnnouncementStatus>();
    expectTypeOf<Status>().toExtend<AnnouncementStatus>();
    expectTypeOf<v.InferOutput<typeof AnnouncementSchema>>().toExtend<Announcement>();
    expectTypeOf<AnnouncementReaction['count']>().toEqualTypeOf<number>();
    expectTypeOf<v.InferOutput<typeof AnnouncementReactionPayloadSchema>>().toExtend<AnnouncementReaction>();
    expectTypeOf<Account['moved']>().toEqualTypeOf<Account | null | undefined>();
  });

  it('maps events to essentials and full schemas', () => {
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['update']['full']>>().toExtend<Status>();
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['notification']['full']>>().toExtend<Notification>();
    expectTypeOf<v.InferOutput<(typeof payloadSchemas)['update']['essentials']>['account']>().toEqualTypeOf<{
      id: string;
      acct: string;
    }>();
  });
});

// The schemas are looseObjects, so unknown fields survive validation; the entity types name only the known ones, so that
// a misspelt field does not compile. The fields a type does not name are read through Record<string, unknown>.
type HasIndexSignature<T> = string extends keyof T ? true : false;
declare const status: Status;
declare const notification: Notification;
declare const conversation: Conversation;
declare const announcement: Announcement;

describe('entity types without an index signature', () => {
  it('has none at the top of any entity type', () => {
    expectTypeOf<HasIndexSignature<Status>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Account>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Notification>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Conversation>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Announcement>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<AnnouncementReaction>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Reaction>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<CustomEmoji>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<MediaAttachment>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Mention>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<StatusTag>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Poll>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<PreviewCard>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<FilterResult>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Quote>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<ShallowQuote>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<QuoteApproval>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<Report>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<RelationshipSeveranceEvent>>().toEqualTypeOf<false>();
    expectTypeOf<HasIndexSignature<AccountWarning>>().toEqualTypeOf<false>();
  });

  it('refuses a misspelt field, at the top and nested', () => {
    // @ts-expect-error a misspelt field of a status
    void status.contnet;
    // @ts-expect-error of its account
    void status.account.dispaly_name;
    // @ts-expect-error of an object without a type of its own (the app that posted it)
    void status.application?.nmae;
    // @ts-expect-error of an array element without a type of its own (a poll option)
    void status.poll?.options[0]?.votes;
    // @ts-expect-error of a boosted status
    void status.reblog?.contnet;
    // @ts-expect-error of a notification
    void notification.stauts;
    // @ts-expect-error of a conversation
    void conversation.last_staus;
    // @ts-expect-error of an announcement
    void announcement.publised_at;
  });

  it('keeps the index signature of the shapes Mastodon leaves open, which name no field', () => {
    expectTypeOf<NonNullable<MediaAttachment['meta']>>().toEqualTypeOf<{ [key: string]: unknown }>();
    expectTypeOf<NonNullable<Account['source']>>().toEqualTypeOf<{ [key: string]: unknown }>();
  });

  it('reads the fields no type names through Record<string, unknown>', () => {
    expectTypeOf(status).toExtend<Record<string, unknown>>();
    expectTypeOf(status.account).toExtend<Record<string, unknown>>();
    expectTypeOf(notification).toExtend<Record<string, unknown>>();
    expectTypeOf((status as Record<string, unknown>)['pleroma']).toEqualTypeOf<unknown>();
    if ('pleroma' in status) expectTypeOf(status.pleroma).toEqualTypeOf<unknown>();
  });
});
