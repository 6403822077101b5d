import type { FeedAccess } from './viewer-types.js';

/** The two origin settings of one feed (live feeds or hashtag feeds) of `timelines_access`. */
export interface FeedOrigins {
  local: FeedAccess;
  remote: FeedAccess;
}

/** Which origins the request asked for: the truthy `local` and `remote` query parameters. */
export interface RequestedOrigins {
  local: boolean;
  remote: boolean;
}

/** What Rails knows about whoever asks for the feed. */
export interface FeedReader {
  /** A token with a user whose login works (not app-only, not disabled). */
  isFunctionalUser: boolean;
  /** The role permission that opens `disabled` feeds (`view_feeds`). */
  canViewDisabledFeeds: boolean;
}

/**
 * Whether Mastodon 4.5's public or tag timeline controller runs `require_user!` for this
 * request: the requested origin's setting (both settings when neither `local` nor `remote` is
 * asked for, `local` winning when both are) is anything but `public`.
 *
 * @example
 * feedRequiresUser({ local: 'public', remote: 'authenticated' }, { local: true, remote: false }) // false
 * feedRequiresUser({ local: 'public', remote: 'authenticated' }, { local: false, remote: false }) // true
 */
export function feedRequiresUser(access: FeedOrigins, requested: RequestedOrigins): boolean {
  if (requested.local) return access.local !== 'public';
  if (requested.remote) return access.remote !== 'public';
  return access.local !== 'public' || access.remote !== 'public';
}

function readerHasAccess(setting: FeedAccess, reader: FeedReader): boolean {
  if (setting === 'public') return true;
  if (setting === 'authenticated') return reader.isFunctionalUser;
  return reader.canViewDisabledFeeds;
}

/**
 * The origins whose statuses the feed returns, as Mastodon 4.5's PublicFeed (and TagFeed,
 * with the hashtag settings) decide it: an origin the reader may not see narrows the feed to
 * the other one, and asking for only an origin the reader may not see yields nothing at all.
 *
 * @example
 * visibleOrigins({ local: 'disabled', remote: 'public' }, { local: false, remote: false }, reader)
 * // { local: false, remote: true } unless the reader can view disabled feeds
 */
export function visibleOrigins(access: FeedOrigins, requested: RequestedOrigins, reader: FeedReader): RequestedOrigins {
  const seesLocal = readerHasAccess(access.local, reader);
  const seesRemote = readerHasAccess(access.remote, reader);
  const localOnly = (requested.local && !requested.remote) || !seesRemote;
  const remoteOnly = (requested.remote && !requested.local) || !seesLocal;
  if ((localOnly && !seesLocal) || (remoteOnly && !seesRemote)) return { local: false, remote: false };
  return { local: !remoteOnly, remote: !localOnly };
}
