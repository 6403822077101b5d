/**
 * Status and the entities nested in it (media, poll, card, mentions, tags, filter results,
 * quotes). Field presence follows entities.md: only "safe ✓" fields are required.
 */
import * as v from 'valibot';
import { AccountSchema, CustomEmojiSchema, openEnum } from './schema-account.js';
import type { OpenEnum } from './schema-account.js';

/**
 * Validates a Mention (`statuses[].mentions[]`, announcement `mentions[]`); `id` is the account id.
 * @example
 * v.parse(v.array(MentionSchema), json).map((mention) => mention.acct) // a status's mentions
 */
export const MentionSchema = v.looseObject({
  id: v.string(),
  username: v.string(),
  // null for an account whose row has no URL (OStatus-era remotes): 4.5's mention url has no fallback (TagManager#url_for).
  url: v.nullable(v.string()),
  acct: v.string(),
});

/** An account mentioned in a status or announcement. */
export type Mention = v.InferOutput<typeof MentionSchema>;

/**
 * Validates the short tag form embedded in statuses (`{name, url}`). `name` has no `#` and its
 * letter case may differ from the post, so compare case-insensitively.
 * @example
 * v.parse(v.array(StatusTagSchema), json).some((tag) => tag.name.toLowerCase() === 'rust')
 */
export const StatusTagSchema = v.looseObject({
  name: v.string(),
  url: v.string(),
});

/** A hashtag as embedded in a status or announcement. */
export type StatusTag = v.InferOutput<typeof StatusTagSchema>;

/**
 * Validates a MediaAttachment. `type` is open (`audio` since 2.9.1); `meta` varies per media
 * kind so it is only checked to be an object; `text_url` was removed in 3.5.0 and never required.
 * @example
 * v.parse(v.array(MediaAttachmentSchema), json).filter((media) => media.type === 'image' && !media.description) // no alt text
 */
export const MediaAttachmentSchema = v.looseObject({
  id: v.string(),
  type: openEnum(['unknown', 'image', 'gifv', 'video', 'audio']),
  url: v.nullable(v.string()),
  preview_url: v.nullable(v.string()),
  remote_url: v.nullable(v.string()),
  description: v.nullable(v.string()),
  meta: v.nullish(v.looseObject({})),
  blurhash: v.nullish(v.string()),
  text_url: v.nullish(v.string()),
});

/** A media attachment of a status. */
export type MediaAttachment = v.InferOutput<typeof MediaAttachmentSchema>;

/**
 * Validates a Poll (2.8.0). Option `votes_count` is `null` while results are hidden.
 * @example
 * const poll = v.parse(PollSchema, json); console.log(poll.options.map((option) => `${option.title}: ${option.votes_count ?? 'hidden'}`));
 */
export const PollSchema = v.looseObject({
  id: v.string(),
  expires_at: v.nullable(v.string()),
  expired: v.boolean(),
  multiple: v.boolean(),
  votes_count: v.number(),
  voters_count: v.nullable(v.number()),
  options: v.array(
    v.looseObject({
      title: v.string(),
      votes_count: v.nullable(v.number()),
    }),
  ),
  emojis: v.array(CustomEmojiSchema),
  voted: v.optional(v.boolean()),
  own_votes: v.optional(v.array(v.number())),
});

/** A poll attached to a status. */
export type Poll = v.InferOutput<typeof PollSchema>;

/**
 * Validates a PreviewCard (`status.card`). Only `url title description type` are required:
 * non-Mastodon servers omit several of the documented-required fields.
 * @example
 * const card = v.parse(PreviewCardSchema, json); console.log(card.title, card.url);
 */
export const PreviewCardSchema = v.looseObject({
  url: v.string(),
  title: v.string(),
  description: v.string(),
  type: openEnum(['link', 'photo', 'video', 'rich']),
  // Deprecated in 4.3.0 in favour of `authors`, still rendered.
  author_name: v.optional(v.string()),
  author_url: v.optional(v.string()),
  provider_name: v.optional(v.string()),
  provider_url: v.optional(v.string()),
  html: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
  image: v.nullish(v.string()),
  embed_url: v.optional(v.string()),
  blurhash: v.nullish(v.string()),
  authors: v.optional(
    v.array(
      v.looseObject({
        name: v.optional(v.string()),
        url: v.optional(v.string()),
        account: v.nullish(AccountSchema),
      }),
    ),
  ),
  published_at: v.nullish(v.string()),
  missing_attribution: v.nullish(v.boolean()),
  history: v.optional(v.array(v.looseObject({}))),
});

/** A link preview card attached to a status. */
export type PreviewCard = v.InferOutput<typeof PreviewCardSchema>;

/**
 * Validates a FilterResult (`status.filtered`, 4.0.0). Streaming-computed results carry a
 * trimmed `filter` and omit `filter_action` for `blur` filters, hence it is optional.
 * @example
 * const hide = v.parse(v.array(FilterResultSchema), json).some((result) => result.filter.filter_action === 'hide');
 */
export const FilterResultSchema = v.looseObject({
  filter: v.looseObject({
    id: v.string(),
    title: v.string(),
    context: v.array(openEnum(['home', 'notifications', 'public', 'thread', 'account'])),
    expires_at: v.nullable(v.string()),
    // Absent means "unknown": callers should hide behind a warning.
    filter_action: v.optional(openEnum(['warn', 'hide', 'blur'])),
    keywords: v.optional(v.array(v.looseObject({}))),
    statuses: v.optional(v.array(v.looseObject({}))),
  }),
  keyword_matches: v.nullable(v.array(v.string())),
  status_matches: v.nullable(v.array(v.string())),
});

/** Why a status matched one of the viewer's keyword filters. */
export type FilterResult = v.InferOutput<typeof FilterResultSchema>;

/** Known quote states (4.4.0, 4.5.0 additions); unknown states should be treated as `unauthorized`. */
export type QuoteState = OpenEnum<
  | 'pending'
  | 'accepted'
  | 'rejected'
  | 'revoked'
  | 'deleted'
  | 'unauthorized'
  | 'blocked_account'
  | 'blocked_domain'
  | 'muted_account'
>;

const QuoteStateSchema: v.GenericSchema<QuoteState> = openEnum([
  'pending',
  'accepted',
  'rejected',
  'revoked',
  'deleted',
  'unauthorized',
  'blocked_account',
  'blocked_domain',
  'muted_account',
]);

/**
 * Validates a ShallowQuote (4.4.0): the quoted status is referenced by id only.
 * @example
 * const quote = v.parse(ShallowQuoteSchema, json); if (quote.state === 'accepted') console.log(quote.quoted_status_id);
 */
export const ShallowQuoteSchema = v.looseObject({
  state: QuoteStateSchema,
  quoted_status_id: v.nullable(v.string()),
});

/** A quote whose quoted status is given by id. */
export type ShallowQuote = v.InferOutput<typeof ShallowQuoteSchema>;

/** A quote carrying the full quoted status (4.4.0); `quoted_status` is null when not shown. */
export interface Quote {
  state: QuoteState;
  quoted_status: Status | null;
  [key: string]: unknown;
}

/**
 * Validates a Quote (4.4.0) with its quoted Status, recursively.
 * @example
 * const quote = v.parse(QuoteSchema, json); console.log(quote.state, quote.quoted_status?.content);
 */
export const QuoteSchema: v.GenericSchema<Quote> = v.looseObject({
  state: QuoteStateSchema,
  quoted_status: v.nullable(v.lazy(() => StatusSchema)),
});

const quotePolicy = openEnum(['public', 'followers', 'following', 'unsupported_policy']);

/**
 * Validates a QuoteApproval (`status.quote_approval`, 4.5.0).
 * @example
 * const { current_user } = v.parse(QuoteApprovalSchema, json); // 'automatic', 'manual', 'denied' or 'unknown'
 */
export const QuoteApprovalSchema = v.looseObject({
  automatic: v.array(quotePolicy),
  manual: v.array(quotePolicy),
  current_user: openEnum(['automatic', 'manual', 'denied', 'unknown']),
});

/** Who may quote a status, and how the current user would be handled. */
export type QuoteApproval = v.InferOutput<typeof QuoteApprovalSchema>;

/** Status visibility; `local` (glitch-soc, Hometown) and other values are accepted. */
export type StatusVisibility = OpenEnum<'public' | 'unlisted' | 'private' | 'direct'>;

// Every key except the recursive `reblog` and `quote`, so the rest can be inferred.
const statusEntries = {
  id: v.string(),
  uri: v.string(),
  created_at: v.string(),
  account: AccountSchema,
  content: v.string(),
  visibility: openEnum(['public', 'unlisted', 'private', 'direct']),
  sensitive: v.boolean(),
  spoiler_text: v.string(),
  media_attachments: v.array(MediaAttachmentSchema),
  mentions: v.array(MentionSchema),
  tags: v.array(StatusTagSchema),
  emojis: v.array(CustomEmojiSchema),
  reblogs_count: v.number(),
  favourites_count: v.number(),
  replies_count: v.number(),
  url: v.nullable(v.string()),
  in_reply_to_id: v.nullable(v.string()),
  in_reply_to_account_id: v.nullable(v.string()),
  language: v.nullable(v.string()),
  card: v.nullable(PreviewCardSchema),
  poll: v.nullable(PollSchema),
  // Rendered when the author shares their app (the default): null for a boost (ReblogService records none). `website` nullable since 3.5.1.
  application: v.nullish(
    v.looseObject({
      name: v.string(),
      website: v.nullish(v.string()),
    }),
  ),
  // Only on delete-and-redraft / source responses.
  text: v.nullish(v.string()),
  // Always present since 3.5.0; optional for older servers and forks.
  edited_at: v.nullish(v.string()),
  // Viewer-only: absent on public/hashtag streams.
  favourited: v.optional(v.boolean()),
  reblogged: v.optional(v.boolean()),
  muted: v.optional(v.boolean()),
  bookmarked: v.optional(v.boolean()),
  pinned: v.optional(v.boolean()),
  // Added by the streaming server on public/hashtag streams (4.0.0).
  filtered: v.optional(v.array(FilterResultSchema)),
  quotes_count: v.optional(v.number()),
  quote_approval: v.optional(QuoteApprovalSchema),
  // Collection shape is not specified (4.6.0); kept open.
  tagged_collections: v.optional(v.array(v.looseObject({}))),
} satisfies v.ObjectEntries;

const StatusBaseSchema = v.looseObject(statusEntries);

/** A status (post). A boost is a Status whose `reblog` is the original and `account` the booster. */
export interface Status extends v.InferOutput<typeof StatusBaseSchema> {
  visibility: StatusVisibility;
  /** The boosted status when this status is a boost. */
  reblog: Status | null;
  /** The quoted post (4.4.0): full Quote or ShallowQuote. */
  quote?: Quote | ShallowQuote | null | undefined;
}

/**
 * Validates a Status deeply, including `reblog` and `quote.quoted_status` (recursively).
 * Viewer fields (`favourited`, …) are optional because public/hashtag streams omit them.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * import { StatusSchema } from '@tootstream/core/schemas';
 * // A status from anywhere as JSON text: a REST response, or an `update` event's `data:` line read by another SSE client.
 * const status = v.parse(StatusSchema, JSON.parse(restResponseText));
 * console.log(status.account.acct, status.content);
 * ```
 */
export const StatusSchema: v.GenericSchema<Status> = v.looseObject({
  ...statusEntries,
  reblog: v.nullable(v.lazy(() => StatusSchema)),
  // A Quote has `quoted_status`, a ShallowQuote `quoted_status_id`; try the richer one first.
  quote: v.nullish(v.union([QuoteSchema, ShallowQuoteSchema])),
});
