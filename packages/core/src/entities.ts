/**
 * The entity types users read (event payloads, the schemas module's types): the schemas' outputs without the
 * `[key: string]: unknown` that `looseObject` gives them. The schemas stay loose, so a fork's or a newer server's
 * fields survive validation, and their own output types (in the schema-*.ts files) say so; but a type that admits
 * every key lets `status.contnet` compile. A field no type names is still in the object: it is read through an
 * explicit `Record<string, unknown>`, which these object types (unlike interfaces) convert to, or by narrowing with `in`.
 */
import type { Account as SchemaAccount, CustomEmoji as SchemaCustomEmoji } from './schema-account.js';
import type {
  Announcement as SchemaAnnouncement,
  AnnouncementReaction as SchemaAnnouncementReaction,
  Reaction as SchemaReaction,
} from './schema-announcement.js';
import type { Conversation as SchemaConversation } from './schema-conversation.js';
import type {
  AccountWarning as SchemaAccountWarning,
  Notification as SchemaNotification,
  RelationshipSeveranceEvent as SchemaRelationshipSeveranceEvent,
  Report as SchemaReport,
} from './schema-notification.js';
import type {
  FilterResult as SchemaFilterResult,
  MediaAttachment as SchemaMediaAttachment,
  Mention as SchemaMention,
  Poll as SchemaPoll,
  PreviewCard as SchemaPreviewCard,
  Quote as SchemaQuote,
  QuoteApproval as SchemaQuoteApproval,
  ShallowQuote as SchemaShallowQuote,
  Status as SchemaStatus,
  StatusTag as SchemaStatusTag,
} from './schema-status.js';

/** A status (post). A boost is a Status whose `reblog` is the original and `account` the booster. */
export type Status = KnownFields<SchemaStatus>;
/** A Mastodon account (author, booster, notifier, conversation participant…). */
export type Account = KnownFields<SchemaAccount>;
/** A quote carrying the full quoted status (4.4.0); `quoted_status` is null when not shown. */
export type Quote = KnownFields<SchemaQuote>;
/** A quote whose quoted status is given by id. */
export type ShallowQuote = KnownFields<SchemaShallowQuote>;
/** Who may quote a status, and how the current user would be handled. */
export type QuoteApproval = KnownFields<SchemaQuoteApproval>;
/** A custom emoji as used in statuses, accounts, polls and announcements. */
export type CustomEmoji = KnownFields<SchemaCustomEmoji>;
/** An account mentioned in a status or announcement. */
export type Mention = KnownFields<SchemaMention>;
/** A hashtag as embedded in a status or announcement. */
export type StatusTag = KnownFields<SchemaStatusTag>;
/** A media attachment of a status. */
export type MediaAttachment = KnownFields<SchemaMediaAttachment>;
/** A poll attached to a status. */
export type Poll = KnownFields<SchemaPoll>;
/** A link preview card attached to a status. */
export type PreviewCard = KnownFields<SchemaPreviewCard>;
/** Why a status matched one of the viewer's keyword filters. */
export type FilterResult = KnownFields<SchemaFilterResult>;
/** A notification for the viewer. */
export type Notification = KnownFields<SchemaNotification>;
/** A moderation report (admin notifications). */
export type Report = KnownFields<SchemaReport>;
/** Why follow relationships were severed. */
export type RelationshipSeveranceEvent = KnownFields<SchemaRelationshipSeveranceEvent>;
/** A moderation warning issued to the viewer's account. */
export type AccountWarning = KnownFields<SchemaAccountWarning>;
/** A direct-message conversation. */
export type Conversation = KnownFields<SchemaConversation>;
/**
 * A status an announcement links to. Mastodon 4.3 and later send the whole Status, 4.2 and earlier only `id` and
 * `url`, so only those two are promised; `url` is null for a remote status stored without one (a remote boost).
 */
export type AnnouncementStatus = { id: string; url: string | null } & Partial<Omit<Status, 'id' | 'url'>>;
/** An instance announcement. */
export type Announcement = Omit<KnownFields<SchemaAnnouncement>, 'statuses'> & { statuses: AnnouncementStatus[] };
/** An emoji reaction to an announcement. */
export type Reaction = KnownFields<SchemaReaction>;
/** The payload of an `announcement.reaction` event. */
export type AnnouncementReaction = KnownFields<SchemaAnnouncementReaction>;

/** A key `T` names, rather than the key type of one of its index signatures. */
type NamedKey<K> = string extends K ? never : number extends K ? never : K;

type NamedKeys<T> = Extract<keyof { [K in keyof T as NamedKey<K>]: 0 }, keyof T>;

/** `Pick`'s shape: optional fields stay optional, and an alias declared with it is shown by its name (`Notification`). */
type PickKnown<T, Keys extends keyof T> = { [K in Keys]: KnownValue<T[K]> };

/** The fields `T` names, without its index signatures, at every depth. */
type KnownFields<T> = PickKnown<T, NamedKeys<T>>;

/**
 * A field's type without index signatures. The recursive entities become the types above, so that a boost's
 * `reblog` is a `Status` (not a copy that editors show by its structure). An object that names no field (a shape
 * Mastodon leaves open, such as media `meta`) keeps its index signature: there is no misspelling to catch.
 */
type KnownValue<T> = T extends readonly (infer Element)[]
  ? KnownValue<Element>[]
  : T extends object
    ? T extends SchemaStatus
      ? Status
      : T extends SchemaAccount
        ? Account
        : T extends SchemaQuote
          ? Quote
          : string extends keyof T
            ? [NamedKeys<T>] extends [never]
              ? { [key: string]: unknown }
              : KnownFields<T>
            : T
    : T;
