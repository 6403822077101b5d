// The names of createFakeMastodon's options, down to the nested ones (tokens, viewers, keyword
// filters, feed access), and the checks that refuse any other name (see option-names.ts). The
// viewer and feed-access checks also guard `viewer(…).update`, `addKeywordFilter` and
// `setTimelinesAccess`, which take the same objects later.
import { checkOptionNames, checkOptionalOptionNames, type OptionNames } from './option-names.js';
import type { FakeMastodonOptions, FakeToken } from './types.js';
import type { KeywordFilterOptions, TimelinesAccessOptions, ViewerOptions } from './viewer-types.js';

const FAKE_MASTODON_OPTIONS = {
  port: 'optional',
  heartbeatIntervalMs: 'optional',
  heartbeatStyle: 'optional',
  eventWrites: 'optional',
  tokens: 'optional',
  lists: 'optional',
  streamingPath: 'optional',
  filtersChanged: 'optional',
  streamingErrorTexts: 'optional',
  subscribeDelayMs: 'optional',
  instanceV2: 'optional',
  advertisedStreamingUrl: 'optional',
  webSocketPingIntervalMs: 'optional',
  webSocketPaths: 'optional',
  webSocketMaxPayloadBytes: 'optional',
  webSocketCloseTimeoutMs: 'optional',
  webSocketSubscribeDelayMs: 'optional',
  viewers: 'optional',
  timelinesAccess: 'optional',
  reorderUpdatesMs: 'optional',
  disabledUsers: 'optional',
  suspendedAccounts: 'optional',
} as const satisfies OptionNames<FakeMastodonOptions>;

const FAKE_TOKEN_OPTIONS = {
  accountId: 'required',
  acct: 'optional',
  scopes: 'optional',
  revoked: 'optional',
  appOnly: 'optional',
} as const satisfies OptionNames<FakeToken>;

const VIEWER_OPTIONS = {
  languages: 'optional',
  blocks: 'optional',
  mutes: 'optional',
  domainBlocks: 'optional',
  keywordFilters: 'optional',
  canViewDisabledFeeds: 'optional',
} as const satisfies OptionNames<ViewerOptions>;

const KEYWORD_FILTER_OPTIONS = {
  id: 'required',
  title: 'required',
  keywords: 'required',
  context: 'optional',
  action: 'optional',
  expiresAt: 'optional',
} as const satisfies OptionNames<KeywordFilterOptions>;

/** A keyword given as an object rather than a bare (whole-word) string. */
type KeywordObject = Exclude<KeywordFilterOptions['keywords'][number], string>;

const KEYWORD_OPTIONS = { keyword: 'required', wholeWord: 'optional' } as const satisfies OptionNames<KeywordObject>;

const TIMELINES_ACCESS_OPTIONS = {
  liveFeeds: 'optional',
  hashtagFeeds: 'optional',
  trendingLinkFeeds: 'optional',
} as const satisfies OptionNames<TimelinesAccessOptions>;

const FEED_ORIGIN_OPTIONS = { local: 'optional', remote: 'optional' } as const satisfies OptionNames<NonNullable<TimelinesAccessOptions['liveFeeds']>>;

/** `tokens['peer-test-token']`: a record's entry as a test would write it. */
const entry = (record: string, key: string): string => `${record}['${key}']`;

/** Extends a nested object's path (`undefined` is the top of the options). */
const nested = (where: string | undefined, name: string): string => (where === undefined ? name : `${where}.${name}`);

/**
 * Refuses a name createFakeMastodon does not know, at the top or in a nested options object, and
 * a required nested option left out (a token's `accountId`, a keyword filter's `id`, `title` and
 * `keywords`); see option-names.ts.
 *
 * @example
 * checkFakeMastodonOptions({ heartbeatIntervallMs: 20 });
 * // TypeError: createFakeMastodon: unknown option 'heartbeatIntervallMs' (did you mean 'heartbeatIntervalMs'?)
 */
export function checkFakeMastodonOptions(options: FakeMastodonOptions): void {
  const call = 'createFakeMastodon';
  checkOptionNames(call, options, FAKE_MASTODON_OPTIONS);
  for (const [token, config] of Object.entries(options.tokens ?? {})) checkOptionNames(call, config, FAKE_TOKEN_OPTIONS, entry('tokens', token));
  for (const [accountId, viewer] of Object.entries(options.viewers ?? {})) checkViewerOptions(call, viewer, entry('viewers', accountId));
  checkTimelinesAccessOptions(call, options.timelinesAccess, 'timelinesAccess');
}

/**
 * Refuses a name {@link ViewerOptions} does not have, in the viewer's keyword filters too.
 *
 * @example
 * checkViewerOptions('FakeViewer.update', { langauges: ['en'] });
 * // TypeError: FakeViewer.update: unknown option 'langauges' (did you mean 'languages'?)
 */
export function checkViewerOptions(call: string, viewer: ViewerOptions, where?: string): void {
  checkOptionNames(call, viewer, VIEWER_OPTIONS, where);
  for (const [index, filter] of (viewer.keywordFilters ?? []).entries()) checkKeywordFilterOptions(call, filter, `${nested(where, 'keywordFilters')}[${index}]`);
}

/**
 * Refuses a name {@link KeywordFilterOptions} does not have (in a keyword given as an object too),
 * and a filter without its `id`, `title` or `keywords`.
 *
 * @example
 * checkKeywordFilterOptions('FakeViewer.addKeywordFilter', { id: '5', title: 'Spoilers', keywords: ['spoil'], expires: null });
 * // TypeError: FakeViewer.addKeywordFilter: unknown option 'expires' (did you mean 'expiresAt'?)
 */
export function checkKeywordFilterOptions(call: string, filter: KeywordFilterOptions, where?: string): void {
  checkOptionNames(call, filter, KEYWORD_FILTER_OPTIONS, where);
  if (!Array.isArray(filter.keywords)) return;
  for (const [index, keyword] of filter.keywords.entries()) {
    if (typeof keyword !== 'string') checkOptionNames(call, keyword, KEYWORD_OPTIONS, `${nested(where, 'keywords')}[${index}]`);
  }
}

/**
 * Refuses a name {@link TimelinesAccessOptions} does not have, at the top or in one of its feeds
 * (`{ local, remote }`); `undefined` (nothing to change) passes.
 *
 * @example
 * checkTimelinesAccessOptions('FakeMastodon.setTimelinesAccess', { liveFeeds: { locale: 'disabled' } });
 * // TypeError: FakeMastodon.setTimelinesAccess: unknown option 'locale' in liveFeeds (did you mean 'local'?)
 */
export function checkTimelinesAccessOptions(call: string, access: TimelinesAccessOptions | undefined, where?: string): void {
  checkOptionalOptionNames(call, access, TIMELINES_ACCESS_OPTIONS, where);
  for (const feed of Object.keys(TIMELINES_ACCESS_OPTIONS) as Array<keyof TimelinesAccessOptions>) {
    checkOptionalOptionNames(call, access?.[feed], FEED_ORIGIN_OPTIONS, nested(where, feed));
  }
}
