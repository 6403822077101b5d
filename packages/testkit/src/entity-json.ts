// The JSON the fake renders for statuses, notifications and conversations, as tests read it back:
// every field the fake always renders is named and typed, so `posted.content` is a string.
import type { AccountJson } from './identities.js';
import type { MentionJson, StatusOverrides, StatusTagJson } from './status-overrides.js';

/**
 * Status JSON as the fake renders it: the 27 fields of Mastodon 4.5's REST::StatusSerializer,
 * always present, each typed as {@link StatusOverrides} takes it (a field given to `postStatus` or
 * `editStatus` replaces the generated one, so a status goes back in as it came out). Personal
 * renderings (`user` and `list` streams, notifications, REST) add the viewer fields. The index
 * signature stays for the keys a fork's status carries (given with a cast, kept as given).
 */
export interface StatusJson {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: boolean;
  spoiler_text: string;
  /**
   * Mastodon's four, or whatever a given status carried (a fork's `local`): typed as
   * @tootstream/core's `StatusVisibility`, so a status goes back and forth between them.
   */
  visibility: 'public' | 'unlisted' | 'private' | 'direct' | (string & {});
  language: string | null;
  uri: string;
  url: string | null;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  quotes_count: number;
  edited_at: string | null;
  content: string;
  /** The boosted status, as given (one the fake returned, or a core `Status`); null for a status that is no boost. */
  reblog: Exclude<StatusOverrides['reblog'], undefined>;
  quote: Record<string, unknown> | null;
  /** The fake's own `{ name: 'tootstream-testkit', website: null }` unless given. */
  application: Exclude<StatusOverrides['application'], undefined>;
  account: AccountJson;
  media_attachments: ReadonlyArray<Record<string, unknown>>;
  mentions: readonly MentionJson[];
  tags: readonly StatusTagJson[];
  emojis: ReadonlyArray<Record<string, unknown>>;
  quote_approval: Record<string, unknown>;
  card: Record<string, unknown> | null;
  poll: Record<string, unknown> | null;
  /** Viewer field of a personal rendering (absent on public and hashtag streams). */
  favourited?: boolean;
  /** Viewer field of a personal rendering. */
  reblogged?: boolean;
  /** Viewer field of a personal rendering. */
  muted?: boolean;
  /** Viewer field of a personal rendering. */
  bookmarked?: boolean;
  /** Viewer field of a personal rendering, on the reader's own status unless a boost or direct. */
  pinned?: boolean;
  /** The reader's keyword filter results (personal renderings); public and hashtag streams add the streaming server's. */
  filtered?: ReadonlyArray<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * Poll JSON (REST::PollSerializer), as the fake builds it for a `poll` notification's status and for a poll given over REST:
 * attributes first, then the `options` and `emojis` associations, as ActiveModel::Serializer
 * renders them. `voted` and `own_votes` are there for a signed-in reader only. A type, not an
 * interface, so it goes where a status's loosely typed `poll` is expected.
 */
export type PollJson = {
  id: string;
  /** Null for a poll that never expires. */
  expires_at: string | null;
  expired: boolean;
  multiple: boolean;
  votes_count: number;
  /** Null for a remote poll whose server does not say. */
  voters_count: number | null;
  voted?: boolean;
  /** Indexes of the options the reader chose. */
  own_votes?: readonly number[];
  /** `votes_count` is null while an unexpired poll hides its totals. */
  options: ReadonlyArray<{ title: string; votes_count: number | null }>;
  emojis: ReadonlyArray<Record<string, unknown>>;
};

/**
 * Report JSON (REST::ReportSerializer), the `report` of an `admin.report` notification. `forwarded`
 * is null when a report against a remote account was filed over the API without `forward`
 * (ReportService casts the missing parameter to nil); the fake's default is false, as the web form sends it.
 */
export type ReportJson = {
  id: string;
  /** True once resolved (Report#action_taken? is action_taken_at.present?). */
  action_taken: boolean;
  action_taken_at: string | null;
  /** Report's enum: `other`, `spam`, `legal`, `violation`. */
  category: 'other' | 'spam' | 'legal' | 'violation' | (string & {});
  comment: string;
  forwarded: boolean | null;
  created_at: string;
  status_ids: readonly string[] | null;
  /** Only for a `violation`; null otherwise. */
  rule_ids: readonly string[] | null;
  target_account: AccountJson;
};

/** RelationshipSeveranceEvent JSON (REST::AccountRelationshipSeveranceEventSerializer), the `event` of `severed_relationships`. */
export type RelationshipSeveranceEventJson = {
  /** The recipient's own event (AccountRelationshipSeveranceEvent), not the shared one. */
  id: string;
  type: 'domain_block' | 'user_domain_block' | 'account_suspension' | (string & {});
  purged: boolean;
  /** The blocked domain, or the suspended account's acct. */
  target_name: string;
  followers_count: number;
  following_count: number;
  created_at: string;
};

/** AccountWarning JSON (REST::AccountWarningSerializer), the `moderation_warning` of a `moderation_warning` notification. */
export type AccountWarningJson = {
  id: string;
  action: 'none' | 'disable' | 'mark_statuses_as_sensitive' | 'delete_statuses' | 'sensitive' | 'silence' | 'suspend' | (string & {});
  text: string;
  /** The reported statuses the warning is about; null when it comes with none. */
  status_ids: readonly string[] | null;
  created_at: string;
  /** The warned account: the recipient. */
  target_account: AccountJson;
  /** REST::AppealSerializer's `{ text, state }` once the recipient appealed; null before. */
  appeal: { text: string; state: 'pending' | 'approved' | 'rejected' | (string & {}) } | null;
};

/**
 * The notification types Mastodon 4.5 sends (4.6's `added_to_collection` and `collection_update`
 * are left out: the fake is 4.5.7). Written out rather than imported from @tootstream/core, which
 * the testkit does not depend on; a type test holds each one to core's `NotificationType`. (Named
 * for the fake, so it does not clash with core's `KnownNotificationType`, which has 4.6's too.)
 */
export type FakeNotificationType =
  | 'mention'
  | 'reblog'
  | 'follow'
  | 'favourite'
  | 'poll'
  | 'follow_request'
  | 'status'
  | 'update'
  | 'admin.sign_up'
  | 'admin.report'
  | 'severed_relationships'
  | 'moderation_warning'
  | 'quote'
  | 'quoted_update';

/** Also the one list the fake reads at run time, so the type and what the fake does cannot part. */
export const STATUS_NOTIFICATION_TYPES = ['mention', 'reblog', 'favourite', 'poll', 'status', 'update', 'quote', 'quoted_update'] as const satisfies readonly FakeNotificationType[];

/** The notification types that carry a `status` (entities.md): `notify` always attaches one to them. */
export type StatusNotificationType = (typeof STATUS_NOTIFICATION_TYPES)[number];

/**
 * Notification JSON as streamed: ungrouped, with the `group_key` Notification::Groups gave it
 * (`favourite-<status id>-<hour>`, `follow-<hour>`, …) or `ungrouped-<id>`.
 */
export interface NotificationJson {
  id: string;
  /** Mastodon 4.5's types autocomplete; any other string is a type the test made up (undocumented ones exist). */
  type: FakeNotificationType | (string & {});
  created_at: string;
  /** `<type prefix>-<hour bucket>` for `favourite`, `reblog`, `follow` and `admin.sign_up`; `ungrouped-<id>` otherwise. */
  group_key: string;
  account: AccountJson;
  /** The status of a status-bearing type (`mention`, `favourite`, `reblog`, …); absent otherwise. */
  status?: StatusJson;
  /** `admin.report` only: the fake's Report, or what `fields.report` gave. */
  report?: ReportJson;
  /** `severed_relationships` only: the fake's event, or what `fields.event` gave. */
  event?: RelationshipSeveranceEventJson;
  /** `moderation_warning` only: the fake's AccountWarning, or what `fields.moderation_warning` gave. */
  moderation_warning?: AccountWarningJson;
  [key: string]: unknown;
}

/** A notification of a {@link StatusNotificationType}, which `notify` always gives a status. */
export interface StatusNotificationJson extends NotificationJson {
  type: StatusNotificationType;
  status: StatusJson;
}

// A type, not an interface: it then still goes where a test's helper takes a `Record<string, unknown>`, as it did.
/**
 * Conversation JSON as the `direct` stream and `GET /api/v1/conversations` carry it
 * (REST::ConversationSerializer): the four fields Mastodon renders, each always present.
 */
export type ConversationJson = {
  id: string;
  unread: boolean;
  /** The other participants; default `[bob]`. */
  accounts: readonly AccountJson[];
  /** Default null (a conversation whose last status is not given). */
  last_status: StatusJson | null;
};

/**
 * The fields {@link FakeMastodon.conversation} puts over the conversation it generates, each
 * optional, so a misspelt key is a type error. A conversation the fake returned goes back in as
 * it is or spread with changes (`{ ...conversation, unread: false }`).
 */
export interface ConversationOverrides {
  /** Default: sequential; the same id again replaces that conversation and moves it to the top. */
  id?: string | undefined;
  /** Default true. */
  unread?: boolean | undefined;
  accounts?: readonly AccountJson[] | undefined;
  /** Its id orders and pages `GET /api/v1/conversations`. */
  last_status?: StatusJson | null | undefined;
}
