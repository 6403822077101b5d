// Loaded on demand: what a client asks the instance before (or instead of)
// streaming. Only streamHealthy(), versionCheckMode 'created'/'changed' and
// the feed-availability warning of the public and hashtag streams need it;
// each of them makes a request anyway, so loading this costs no extra wait
// that matters, and a plain user stream never loads it at all. Like every
// on-demand module it imports nothing the entry loads (README: "What loads up front"): what
// it needs of the entry's code comes in the context's `kit`.
import type { MastodonClient } from '@tootstream/core';
import { feedWarning, type FeedAccessQuery } from './availability.js';
import type { ErrorClasses } from './errors.js';
import type { MastodonOptions, PublicStreamOptions } from './mastodon-options.js';
import { withHeaderTimeout } from './fetch-timeout.js';
import { runtimeClock } from './timer-limit.js';
import type { BackgroundCheck } from './run-types.js';
import { fetchInstance, fetchStreamHealth, type RestRequest } from './rest.js';
import { assertVersion } from './version-check.js';
import type { StreamingFeature, VERSION_GATES, VersionCheckMode } from './version-gates.js';
import type { MastodonWarning } from './warning.js';

/** What these checks need from a {@link Mastodon} client; it keeps one per client. */
export interface InstanceContext {
  readonly clientOptions: MastodonOptions;
  /** `apiBaseUrl`, with `https://` in front of a bare host. */
  readonly instanceUrl: string;
  /** `requestTimeout` in ms: the wait for any response's headers, and again for a REST body. */
  readonly requestTimeoutMs: number;
  readonly core: MastodonClient;
  /** `versionCheckMode`, defaulted. */
  readonly versionMode: VersionCheckMode;
  /** The entry's error classes, version gates and warning class. */
  readonly kit: readonly [errors: ErrorClasses, gates: typeof VERSION_GATES, warning: typeof MastodonWarning];
  /** The instance document, fetched once and cached until `clearCaches()`. */
  instanceDocument?: Promise<unknown> | undefined;
  /**
   * The `fetch` of the core client once an instance document has been fetched (until then the client's own): core's
   * discovery asks the same URL, and gets that document while it is the cached one.
   */
  coreFetch?: typeof fetch;
}

/** The feed a public or hashtag stream reads, for the availability warning; `undefined` for the other streams. */
function feedOf(feature: StreamingFeature, { local, remote }: PublicStreamOptions): Omit<FeedAccessQuery, 'hasToken'> | undefined {
  if (feature === 'public') return { feed: 'live_feeds', scope: local ? 'local' : remote ? 'remote' : 'any' };
  if (feature === 'hashtag') return { feed: 'hashtag_feeds', scope: local ? 'local' : 'any' };
  return undefined;
}

/**
 * A `stream*` call's own check, before it settles: the version gate (its
 * error rejects the call). For a public or hashtag stream it returns the
 * availability warning (never fatal), which the run does in the background
 * before its first connect. `signal` is the stream's: close() (or the
 * user's signal) cancels these requests, so no socket or timer outlives it.
 */
export async function checkStream(context: InstanceContext, feature: StreamingFeature, options: PublicStreamOptions, signal: AbortSignal): Promise<BackgroundCheck | undefined> {
  const feed = feedOf(feature, options);
  // Asked once: a function-valued accessToken may cost a refresh, and the checks must agree on one value.
  const value = await token(context);
  await checkVersion(context, feature, value, signal);
  return feed && ((runSignal) => warnIfUnavailable(context, feed, value, runSignal));
}

/** `Mastodon.streamHealthy()`. */
export async function streamHealthy(context: InstanceContext): Promise<boolean> {
  const value = await token(context);
  await checkVersion(context, 'health', value);
  const base = await context.core.streamingBaseUrl();
  return fetchStreamHealth(`${base}/api/v1/streaming/health`, restRequest(context, value), context.kit[0]);
}

/**
 * The instance document (v2, else v1), fetched once and cached; `undefined`
 * if neither answers. A lookup cancelled by the stream that started it is
 * not kept: the next stream asks again, and so does a stream of this client
 * that was waiting for the same lookup and is still running.
 */
async function instanceInfo(context: InstanceContext, value: string | undefined, signal?: AbortSignal): Promise<unknown> {
  const base = context.instanceUrl.replace(/\/?$/, '/');
  for (;;) {
    const request = restRequest(context, value, signal);
    // A stream that discovered the streaming host earlier read the document already (listener-port.md §12 case 22).
    const discovered = context.core.discoveredInstance();
    const lookup = (context.instanceDocument ??= discovered ? Promise.resolve(discovered) : lookUpInstance(context, [new URL('api/v2/instance', base), new URL('api/v1/instance', base)], request));
    try {
      return await lookup;
    } catch (error) {
      // fetchInstance rejects only when its signal aborted.
      if (context.instanceDocument === lookup) context.instanceDocument = undefined;
      if (signal?.aborted) throw error;
    }
  }
}

/**
 * {@link fetchInstance}, whose answer core's discovery then reads instead of asking again (listener-port.md §12
 * case 22: the instance is fetched once): the document is served to the core client's request for the same URL
 * for as long as this lookup is the cached one. When that document is v1's, v2 gave nothing usable, and core's
 * request for v2 (its discovery asks v2 first) is answered 404 without asking the server again.
 */
function lookUpInstance(context: InstanceContext, urls: readonly URL[], request: RestRequest): Promise<unknown> {
  const lookup: Promise<unknown> = fetchInstance(urls, request).then((answer) => {
    // This request carried the token, core's own discovery does not: a document that echoes it (into its streaming URL,
    // say) is not handed on, or core would stream from a URL holding the token. Core then asks for its own copy.
    if (answer !== undefined && !(request.token && answer.text.includes(request.token))) {
      const clientFetch = clientFetchOf(context);
      const missingV2 = answer.url === urls[0]?.href ? undefined : urls[0]?.href;
      context.coreFetch = (input, init) => {
        // ky hands core's requests to fetch as Request objects; anything else is a URL or its text.
        const url = `${(input as Partial<Request>).url ?? input}`;
        if (context.instanceDocument !== lookup) return clientFetch(input, init);
        if (url === answer.url) return Promise.resolve(new Response(answer.text));
        return url === missingV2 ? Promise.resolve(new Response('{"error":"Not Found"}', { status: 404 })) : clientFetch(input, init);
      };
    }
    return answer?.document;
  });
  return lookup;
}

/** The client's `fetch` option, else the global one (looked up per request, as core does). */
function clientFetchOf({ clientOptions: options }: InstanceContext): typeof fetch {
  return options.fetch ?? ((input, init) => globalThis.fetch(input, init));
}

/** A REST request of this client: its `fetch`, failing when response headers take longer than `requestTimeout` (Mastodon.py's `request_timeout`), its headers and the token (`value`) they carry. */
function restRequest(context: InstanceContext, value: string | undefined, signal?: AbortSignal): RestRequest {
  const { clientOptions: options, requestTimeoutMs } = context;
  const clock = options.clock ?? runtimeClock;
  return {
    fetch: withHeaderTimeout(clientFetchOf(context), requestTimeoutMs, clock),
    headers: {
      Accept: 'application/json',
      ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
      ...(value !== undefined ? { Authorization: `Bearer ${value}` } : {}),
    },
    token: value,
    timeoutMs: requestTimeoutMs,
    signal,
    clock,
  };
}

async function checkVersion(context: InstanceContext, feature: StreamingFeature, value: string | undefined, signal?: AbortSignal): Promise<void> {
  const { versionMode: mode, kit } = context;
  if (mode !== 'none') assertVersion(await instanceInfo(context, value, signal), feature, kit[1][feature], mode, value, kit[0].MastodonVersionError);
}

async function warnIfUnavailable(context: InstanceContext, feed: Omit<FeedAccessQuery, 'hasToken'>, value: string | undefined, signal: AbortSignal): Promise<void> {
  const warning = feedWarning(await instanceInfo(context, value, signal), { ...feed, hasToken: value !== undefined }, context.kit[2]);
  // A stream closed meanwhile warns nobody.
  if (warning === undefined || signal.aborted) return;
  const { onWarning } = context.clientOptions;
  if (!onWarning) return console.warn(`[tootstream/listener] ${warning.name}: ${warning.message}`);
  // The warning is never fatal, so neither is an onWarning that throws or (async) rejects: the run treats this check's
  // failure as the stream's, and an unobserved rejection ends a Node process. Its failure goes to the console, where
  // the warning would have gone without it. Not awaited: the first connect does not wait for the user's code.
  const logFailure = (error: unknown) => console.warn('[tootstream/listener] onWarning threw', error);
  try {
    Promise.resolve(onWarning(warning)).catch(logFailure);
  } catch (error) {
    logFailure(error);
  }
}

/**
 * The access token, checked by core's rule for a header value (its client's
 * `isHeaderSafe`; this package may only import core's public exports): with a
 * line break or a character beyond Latin-1, `fetch` throws a TypeError that
 * quotes the whole `Authorization` header. Core rejects such a token for a
 * stream as an argument error, so these requests do too, without quoting it.
 * Core's check cannot stand in for this one: it runs only when a stream
 * connects, after a `stream*` call has settled (with a handle, or after
 * `onAbort`), and never for `streamHealthy`, whose fetch would fail as a
 * network error instead.
 */
async function token({ clientOptions: options, kit }: InstanceContext): Promise<string | undefined> {
  const value: unknown = typeof options.accessToken === 'function' ? await options.accessToken() : options.accessToken;
  if (value !== undefined && (typeof value !== 'string' || /[^\t -~\x80-\xff]/.test(value))) {
    throw new kit[0].MastodonIllegalArgumentError('accessToken must be a string (or return one) without line breaks or characters beyond Latin-1');
  }
  return value === '' ? undefined : value;
}
