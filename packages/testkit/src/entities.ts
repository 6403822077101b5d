import { STATUS_NOTIFICATION_TYPES, type ConversationJson, type ConversationOverrides, type NotificationJson, type StatusJson, type StatusNotificationType } from './entity-json.js';
import { LOCAL_DOMAIN, type AccountJson } from './identities.js';

/** What {@link buildStatus} needs besides the caller's overrides. */
export interface StatusSeed {
  id: string;
  createdAt: string;
  account: AccountJson;
  visibility: string;
  tags: readonly string[];
  mediaCount: number;
  /** The language when the overrides give none: `en` unless a caller says the status has none. */
  language?: string | null;
}

function accountOrigin(account: AccountJson): string {
  const domain = account.acct.split('@')[1] ?? LOCAL_DOMAIN;
  return `https://${domain}`;
}

function mediaAttachment(statusId: string, index: number): Record<string, unknown> {
  const id = `${statusId}${index}`;
  const file = `https://${LOCAL_DOMAIN}/system/media_attachments/files/${id}`;
  return {
    id,
    type: 'image',
    url: `${file}/original/image.png`,
    preview_url: `${file}/small/image.png`,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: {
      original: { width: 640, height: 480, size: '640x480', aspect: 4 / 3 },
      small: { width: 400, height: 300, size: '400x300', aspect: 4 / 3 },
    },
    description: `image ${index + 1}`,
    blurhash: 'UFBWY[00_3~q%MRjWBay00Rj?bIU9FxuRjof',
  };
}

/**
 * Builds a Status with every field Mastodon 4.5 renders, keys in Mastodon's order. `overrides`
 * replace generated values key by key (new keys are appended).
 *
 * @example
 * buildStatus({ id: '1', createdAt: '2026-11-28T11:19:33.000Z', account: KNOWN_ACCOUNTS.alice,
 *   visibility: 'public', tags: ['rust'], mediaCount: 0 }, { content: '<p>hi</p>' })
 */
export function buildStatus(seed: StatusSeed, overrides: object = {}): StatusJson {
  const origin = accountOrigin(seed.account);
  const tagLinks = seed.tags
    .map((tag) => ` <a href="https://${LOCAL_DOMAIN}/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`)
    .join('');
  const status: StatusJson = {
    id: seed.id,
    created_at: seed.createdAt,
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: seed.visibility,
    language: seed.language === undefined ? 'en' : seed.language,
    uri: `${origin}/users/${seed.account.username}/statuses/${seed.id}`,
    url: `${origin}/@${seed.account.username}/${seed.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    quotes_count: 0,
    edited_at: null,
    content: `<p>status ${seed.id}${tagLinks}</p>`,
    reblog: null,
    quote: null,
    application: { name: 'tootstream-testkit', website: null },
    account: seed.account,
    media_attachments: Array.from({ length: seed.mediaCount }, (_, index) => mediaAttachment(seed.id, index)),
    mentions: [],
    tags: seed.tags.map((tag) => ({ name: tag, url: `https://${LOCAL_DOMAIN}/tags/${tag}` })),
    emojis: [],
    quote_approval: { automatic: ['public'], manual: [], current_user: 'unknown' },
    card: null,
    poll: null,
  };
  const built = { ...status, ...withoutUndefined(overrides) } as StatusJson;
  const isBoost = built.reblog !== null && typeof built.reblog === 'object';
  if (!isBoost) return built;
  // A boost records no app, and its own text is '' (ReblogService, app/services/reblog_service.rb:29),
  // which 4.5 renders as `content: ''` (HtmlAwareFormatter#to_s, app/lib/html_aware_formatter.rb:17-18); unless a test gives them.
  const given = overrides as { application?: unknown; content?: unknown };
  return { ...built, ...(given.application === undefined ? { application: null } : {}), ...(given.content === undefined ? { content: '' } : {}) };
}

/**
 * The object without its keys whose value is `undefined`: an option or override given as
 * `undefined` means "not given" (the types allow it under `exactOptionalPropertyTypes`), so it
 * must not replace a generated value when spread over it.
 *
 * @example
 * withoutUndefined({ content: undefined, language: 'de' }) // { language: 'de' }
 */
export function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

const VIEWER_FIELDS_AFTER = 'edited_at';
// Only these can be pinned (StatusSerializer#pinnable?): a direct status or a boost never gets `pinned`.
const PINNABLE_VISIBILITIES = new Set(['public', 'unlisted', 'private']);

/** What the reader's account knows about one status, beyond "not interacted with". */
export interface ViewerFacts {
  /** The reader's keyword filter results (REST::FilterResultSerializer entries). */
  readonly filtered: readonly object[];
  /** The reader has boosted the status (or, for a boost rendered without a presenter, its original). */
  readonly reblogged?: boolean;
  /** The reader has favourited the status (or, for a boost rendered without a presenter, its original). */
  readonly favourited?: boolean;
}

function pinnableBy(status: StatusJson, viewerAccountId: string): boolean {
  const author = (status.account as { id?: unknown } | undefined)?.id;
  const isBoost = status['reblog'] !== null && typeof status['reblog'] === 'object';
  return author === viewerAccountId && !isBoost && PINNABLE_VISIBILITIES.has(status.visibility);
}

/**
 * Renders a stored status for a viewer (home, list, REST): adds `favourited`, `reblogged`,
 * `muted`, `bookmarked` (and `pinned` on the viewer's own statuses that can be pinned: not a
 * boost, not direct), then `filtered` (the viewer's keyword filter results, unless the status
 * has the key already), where Mastodon puts them. Public and hashtag streams render without a
 * viewer, so they never get these keys (the streaming server appends its own `filtered` there).
 * A status given with `favourited` is taken as rendered already. A nested boosted status is
 * left as it is: see `renderForReader` for that.
 *
 * @example
 * renderForViewer(status, '1001', { filtered: [] }).favourited // false
 */
export function renderForViewer(status: StatusJson, viewerAccountId: string, facts: ViewerFacts): StatusJson {
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    rendered[key] = value;
    if (key !== VIEWER_FIELDS_AFTER || Object.hasOwn(status, 'favourited')) continue;
    rendered['favourited'] = facts.favourited ?? false;
    rendered['reblogged'] = facts.reblogged ?? false;
    rendered['muted'] = false;
    rendered['bookmarked'] = false;
    if (pinnableBy(status, viewerAccountId)) rendered['pinned'] = false;
    if (!Object.hasOwn(status, 'filtered')) rendered['filtered'] = facts.filtered;
  }
  if (Object.hasOwn(rendered, 'quote_approval')) {
    const approval = rendered['quote_approval'] as Record<string, unknown>;
    rendered['quote_approval'] = { ...approval, current_user: 'automatic' };
  }
  return rendered as StatusJson;
}

const STATUS_BEARING: ReadonlySet<string> = new Set(STATUS_NOTIFICATION_TYPES);

/** True for notification types that carry a `status`. */
export function notificationHasStatus(type: string): type is StatusNotificationType {
  return STATUS_BEARING.has(type);
}

/**
 * Builds an ungrouped Notification as streamed by 4.5 (`group_key` = `ungrouped-<id>`; `notify`
 * then sets the group of a type Mastodon groups).
 *
 * @example
 * buildNotification('7', 'follow', '2026-11-28T11:19:33.000Z', KNOWN_ACCOUNTS.bob)
 */
export function buildNotification(
  id: string,
  type: string,
  createdAt: string,
  fromAccount: AccountJson,
  status?: StatusJson,
  overrides: Record<string, unknown> = {},
): NotificationJson {
  const notification: NotificationJson = { id, type, created_at: createdAt, group_key: `ungrouped-${id}`, account: fromAccount };
  if (status) notification.status = status;
  return { ...notification, ...overrides } as NotificationJson;
}

/**
 * Builds a Conversation entity for the `direct` stream.
 *
 * @example
 * buildConversation('77', [KNOWN_ACCOUNTS.bob], null)
 */
export function buildConversation(id: string, accounts: readonly AccountJson[], lastStatus: StatusJson | null, overrides: ConversationOverrides = {}): ConversationJson {
  return { id, unread: true, accounts, last_status: lastStatus, ...withoutUndefined(overrides) };
}
