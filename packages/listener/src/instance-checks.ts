// Loaded on demand: what a client asks the instance before (or instead of)
// streaming. Only streamHealthy(), versionCheckMode 'created'/'changed' and
// the feed-availability warning of the public and hashtag streams need it;
// each of them makes a request anyway, so loading this costs no extra wait
// that matters, and a plain user stream never loads it at all.
import type { MastodonClient } from '@tootstream/core';
import { feedWarning, type FeedAccessQuery } from './availability.js';
import { DEFAULT_CLIENT_OPTIONS } from './defaults.js';
import type { MastodonOptions } from './mastodon.js';
import { withHeaderTimeout } from './fetch-timeout.js';
import { fetchInstance, fetchStreamHealth } from './rest.js';
import { assertVersion } from './version-check.js';
import type { StreamingFeature } from './version-gates.js';

/** What these checks need from a {@link Mastodon} client; it keeps one per client. */
export interface InstanceContext {
  readonly options: MastodonOptions;
  /** `requestTimeout` in ms: the wait for any response's headers, and again for a REST body. */
  readonly restTimeoutMs: number;
  readonly core: MastodonClient;
  /** The instance document, fetched once and cached until `clearCaches()`. */
  instance?: Promise<unknown> | undefined;
}

/** The feed a public or hashtag stream reads, for the availability warning. */
export type StreamFeed = Omit<FeedAccessQuery, 'hasToken'>;

/** Before a stream connects: the version gate, then the availability warning (never fatal). */
export async function prepareStream(context: InstanceContext, feature: StreamingFeature, feed: StreamFeed | undefined): Promise<void> {
  await checkVersion(context, feature);
  if (feed !== undefined) await warnIfUnavailable(context, feed);
}

/** `Mastodon.streamHealthy()`. */
export async function streamHealthy(context: InstanceContext): Promise<boolean> {
  await checkVersion(context, 'health');
  const base = await context.core.streamingBaseUrl();
  return fetchStreamHealth(restFetch(context), `${base}/api/v1/streaming/health`, await restHeaders(context), context.restTimeoutMs);
}

/** The instance document (v2, else v1), fetched once and cached; `undefined` if neither answers. */
async function instanceInfo(context: InstanceContext): Promise<unknown> {
  const base = context.options.apiBaseUrl.replace(/\/?$/, '/');
  const headers = await restHeaders(context);
  context.instance ??= fetchInstance(restFetch(context), [new URL('api/v2/instance', base), new URL('api/v1/instance', base)], headers, context.restTimeoutMs);
  return context.instance;
}

/** The client's `fetch`, failing when response headers take longer than `requestTimeout` (Mastodon.py's `request_timeout`). */
function restFetch({ options, restTimeoutMs }: InstanceContext): typeof fetch {
  return withHeaderTimeout(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), restTimeoutMs);
}

async function checkVersion(context: InstanceContext, feature: StreamingFeature): Promise<void> {
  const mode = context.options.versionCheckMode ?? DEFAULT_CLIENT_OPTIONS.versionCheckMode;
  if (mode !== 'none') assertVersion(await instanceInfo(context), feature, mode);
}

async function warnIfUnavailable(context: InstanceContext, feed: StreamFeed): Promise<void> {
  const warning = feedWarning(await instanceInfo(context), { ...feed, hasToken: (await token(context)) !== undefined });
  if (warning === undefined) return;
  if (context.options.onWarning) context.options.onWarning(warning);
  else console.warn(`[tootstream/listener] ${warning.name}: ${warning.message}`);
}

async function token({ options }: InstanceContext): Promise<string | undefined> {
  const value = typeof options.accessToken === 'function' ? await options.accessToken() : options.accessToken;
  return value === '' ? undefined : value;
}

async function restHeaders(context: InstanceContext): Promise<Record<string, string>> {
  const value = await token(context);
  return {
    Accept: 'application/json',
    ...(context.options.userAgent ? { 'User-Agent': context.options.userAgent } : {}),
    ...(value !== undefined ? { Authorization: `Bearer ${value}` } : {}),
  };
}
