// Loaded on demand (through instance-checks.ts), only for the public and hashtag streams.
import type { MastodonWarning } from './warning.js';

/** Which instance setting governs a stream: `live_feeds` (public*) or `hashtag_feeds` (hashtag*), and which origin. */
export interface FeedAccessQuery {
  feed: 'live_feeds' | 'hashtag_feeds';
  /** `'any'`: the federated stream and the non-local hashtag stream count as available if either sub-key is. */
  scope: 'local' | 'remote' | 'any';
  hasToken: boolean;
}

/**
 * Mastodon 4.5's `configuration.timelines_access` check (as in Mastodon.py
 * 2.2.2): returns a warning (a `Warning`, the entry's MastodonWarning) when
 * the instance says the feed is not available to us, `undefined` when it is
 * or when the instance did not say.
 *
 * @example
 * ```ts
 * feedWarning(instanceV2Json, { feed: 'live_feeds', scope: 'local', hasToken: true }, MastodonWarning);
 * ```
 */
export function feedWarning(instance: unknown, query: FeedAccessQuery, Warning: typeof MastodonWarning): MastodonWarning | undefined {
  const access = (instance as { configuration?: { timelines_access?: Record<string, unknown> } } | undefined)?.configuration?.timelines_access?.[query.feed];
  if (access === null || typeof access !== 'object') return undefined;
  const setting = access as Record<string, unknown>;
  const available = (key: 'local' | 'remote') => {
    const value = setting[key];
    // A sub-key we cannot read counts as available: the warning must never be a false alarm.
    if (typeof value !== 'string') return true;
    return value === 'public' || (value === 'authenticated' && query.hasToken);
  };
  const ok = query.scope === 'any' ? available('local') || available('remote') : available(query.scope);
  if (ok) return undefined;
  const what = query.feed === 'live_feeds' ? 'live feed' : 'hashtag feed';
  const origin = query.scope === 'any' ? '' : `${query.scope} `;
  return new Warning(
    `The instance does not make the ${origin}${what} available${query.hasToken ? '' : ' without an access token'}; the stream may stay silent or be refused.`,
  );
}
