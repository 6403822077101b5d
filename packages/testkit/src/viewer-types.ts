/**
 * One keyword filter of a viewer (Mastodon's custom filter with its keywords). The streaming
 * server annotates public and hashtag statuses that match it; it never drops them.
 *
 * @example
 * const peerFilter: KeywordFilterOptions = {
 *   id: '5',
 *   title: 'Peer filter',
 *   keywords: ['peerfiltered'],
 *   context: ['home', 'public', 'thread'],
 *   action: 'warn',
 * };
 */
export interface KeywordFilterOptions {
  /**
   * Filter id as text; results are ordered by it, as the server's id-keyed cache iterates.
   * @example
   * { id: '5' }
   */
  id: string;
  /**
   * Shown as `filter.title` in results.
   * @example
   * { title: 'Peer filter' }
   */
  title: string;
  /**
   * A string is a whole-word keyword; objects choose `wholeWord` themselves (default true). A
   * filter without keywords matches nothing, as on Mastodon.
   * @example
   * { keywords: ['peerfiltered', { keyword: 'spoil', wholeWord: false }] }
   */
  keywords: ReadonlyArray<string | { keyword: string; wholeWord?: boolean | undefined }>;
  /**
   * Echoed in results only: the streaming server does not check contexts. Default
   * `['home', 'public', 'thread']`.
   * @example
   * { context: ['home'] } // still annotates public statuses, as 4.5.7 does
   */
  context?: readonly string[] | undefined;
  /**
   * `blur` (4.4+) is echoed without a `filter_action` key, as 4.5.7 does. Default `'warn'`.
   * @example
   * { action: 'hide' } // annotated, never dropped
   */
  action?: 'warn' | 'hide' | 'blur' | undefined;
  /**
   * ISO time; an expired filter stops matching. Default `null` (never).
   * @example
   * { expiresAt: '2030-01-01T00:00:00Z' } // written as "2030-01-01T00:00:00.000Z"
   */
  expiresAt?: string | null | undefined;
}

/**
 * What one account sees on public and hashtag streams (see Filtering in the README). Everything here is
 * empty by default, so nothing is dropped and `filtered` stays `[]`.
 *
 * @example
 * createFakeMastodon({
 *   viewers: {
 *     '1001': { languages: ['en'], blocks: ['1002'], domainBlocks: ['remote.example'] },
 *     '1002': { blocks: ['1001'] }, // bob blocks alice: alice stops seeing bob's statuses too
 *   },
 * });
 */
export interface ViewerOptions {
  /**
   * Chosen languages: other languages, and `language: null`, are dropped. `null` or `[]` = all
   * languages (Rails stores an empty choice as none). Read when a stream connects, as 4.5.7
   * loads it with the token.
   * @example
   * { languages: ['en', 'de'] }
   */
  languages?: readonly string[] | null | undefined;
  /**
   * Account ids this account blocks (the blocked account's view is affected too).
   * @example
   * { blocks: ['1002'] }
   */
  blocks?: readonly string[] | undefined;
  /**
   * Account ids this account mutes (as author or as mentioned account), with their
   * notifications, as a mute made through the API does by default.
   * @example
   * { mutes: ['1003'] }
   */
  mutes?: readonly string[] | undefined;
  /**
   * Domains this account blocks; exact match against the domain of the author's acct.
   * @example
   * { domainBlocks: ['remote.example'] }
   */
  domainBlocks?: readonly string[] | undefined;
  /**
   * Keyword filters. A connection loads them at its first status that needs annotating and keeps
   * that copy until the account's filters change (4.5.7 caches them per connection and drops the
   * cache on Rails' `filters_changed` system message), so a change applies from the next status.
   * @example
   * { keywordFilters: [{ id: '5', title: 'Peer filter', keywords: ['peerfiltered'] }] }
   */
  keywordFilters?: readonly KeywordFilterOptions[] | undefined;
  /**
   * The "view feeds" role permission: statuses of a disabled feed origin still arrive. Read when
   * a stream connects, as 4.5.7 loads it with the token.
   * @example
   * { canViewDisabledFeeds: true }
   */
  canViewDisabledFeeds?: boolean | undefined;
}

/** Access level of one feed origin, as in `configuration.timelines_access` (4.5+). */
export type FeedAccess = 'public' | 'authenticated' | 'disabled';

/**
 * Server-wide feed access (4.5+): a `disabled` origin's statuses are dropped from public streams
 * (`liveFeeds`) or hashtag streams (`hashtagFeeds`) for viewers without the permission. The REST
 * public and tag timelines obey it as Rails does: reading an origin that is not `'public'` needs a
 * user (422 otherwise), and origins the reader may not see are left out. Also shown by
 * `GET /api/v2/instance`. Every origin is `'public'` by default.
 *
 * @example
 * createFakeMastodon({ timelinesAccess: { liveFeeds: { local: 'disabled' } } })
 */
export interface TimelinesAccessOptions {
  /**
   * Public streams (`public*`).
   * @example
   * createFakeMastodon({ timelinesAccess: { liveFeeds: { remote: 'disabled' } } })
   */
  liveFeeds?: { local?: FeedAccess | undefined; remote?: FeedAccess | undefined } | undefined;
  /**
   * Hashtag streams (`hashtag*`).
   * @example
   * createFakeMastodon({ timelinesAccess: { hashtagFeeds: { local: 'authenticated' } } }) // streams need a token anyway: nothing changes
   */
  hashtagFeeds?: { local?: FeedAccess | undefined; remote?: FeedAccess | undefined } | undefined;
  /**
   * Only shown by `/api/v2/instance` (there is no streaming counterpart).
   * @example
   * createFakeMastodon({ timelinesAccess: { trendingLinkFeeds: { local: 'disabled', remote: 'disabled' } } })
   */
  trendingLinkFeeds?: { local?: FeedAccess | undefined; remote?: FeedAccess | undefined } | undefined;
}
