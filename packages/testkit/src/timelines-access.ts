import type { StreamName } from './types.js';
import type { FeedAccess, TimelinesAccessOptions } from './viewer-types.js';

type OriginAccess = { local: FeedAccess; remote: FeedAccess };

/** The server's `timelines_access` setting with every origin filled in. */
export interface TimelinesAccess {
  liveFeeds: OriginAccess;
  hashtagFeeds: OriginAccess;
  trendingLinkFeeds: OriginAccess;
}

function origins(base: OriginAccess, changes: { local?: FeedAccess | undefined; remote?: FeedAccess | undefined } | undefined): OriginAccess {
  return { local: changes?.local ?? base.local, remote: changes?.remote ?? base.remote };
}

/**
 * Applies `changes` on top of `base` origin by origin (omitted origins keep their value).
 *
 * @example
 * mergeTimelinesAccess(openTimelinesAccess(), { liveFeeds: { local: 'disabled' } }).liveFeeds
 * // { local: 'disabled', remote: 'public' }
 */
export function mergeTimelinesAccess(base: TimelinesAccess, changes: TimelinesAccessOptions = {}): TimelinesAccess {
  return {
    liveFeeds: origins(base.liveFeeds, changes.liveFeeds),
    hashtagFeeds: origins(base.hashtagFeeds, changes.hashtagFeeds),
    trendingLinkFeeds: origins(base.trendingLinkFeeds, changes.trendingLinkFeeds),
  };
}

/**
 * Every feed open to everyone, Mastodon's default.
 *
 * @example
 * openTimelinesAccess().hashtagFeeds.remote // 'public'
 */
export function openTimelinesAccess(): TimelinesAccess {
  const open: OriginAccess = { local: 'public', remote: 'public' };
  return { liveFeeds: { ...open }, hashtagFeeds: { ...open }, trendingLinkFeeds: { ...open } };
}

/**
 * False when a status of that origin must not reach a stream: its feed is `disabled` and the
 * viewer lacks the permission. `authenticated` passes, since every stream has a user token.
 *
 * @example
 * isFeedOpen(access, 'public:local', true, false) // false when liveFeeds.local is 'disabled'
 */
export function isFeedOpen(access: TimelinesAccess, stream: StreamName, isLocal: boolean, canViewDisabledFeeds: boolean): boolean {
  if (canViewDisabledFeeds) return true;
  const feed = stream.startsWith('hashtag') ? access.hashtagFeeds : access.liveFeeds;
  return (isLocal ? feed.local : feed.remote) !== 'disabled';
}

/**
 * `configuration.timelines_access` of `GET /api/v2/instance`.
 *
 * @example
 * timelinesAccessJson(openTimelinesAccess()).live_feeds // { local: 'public', remote: 'public' }
 */
export function timelinesAccessJson(access: TimelinesAccess): Record<string, OriginAccess> {
  return {
    live_feeds: { ...access.liveFeeds },
    hashtag_feeds: { ...access.hashtagFeeds },
    trending_link_feeds: { ...access.trendingLinkFeeds },
  };
}
