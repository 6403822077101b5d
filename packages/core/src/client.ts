import { systemClock } from './clock.js';
import { assertCursorFits } from './cursor.js';
import { MastodonArgumentError } from './errors.js';
import { loadKitUser } from './chunk-loader.js';
import { MastodonStream } from './mastodon-stream.js';
import { settleStreamOptions, shown } from './option-checks.js';
import { DEFAULT_REST_TIMEOUT_MS, type ClientOptions, type StreamOptions } from './options.js';
import { streamObserver } from './stream-observer.js';
import { startSession, type StreamSession } from './stream-session.js';
import { publicStreamName, resolveStreamRequest, type PublicStreamArgument, type PublicStreamParams, type StreamName, type StreamParams, type StreamParamsFor } from './stream-names.js';
import type { Rest } from './rest.js';
import { normalizeStreamingBase, parseBaseUrl } from './urls.js';

/** A Mastodon instance to stream from. Made by {@link createClient}. */
export interface MastodonClient {
  /**
   * Any stream by Mastodon's own name. A hashtag stream needs `{ tag }` and a list stream `{ list }`: the types require
   * them when the name is written out; a name known only at run time (a `StreamName`) takes any `StreamParams`, which
   * the call checks.
   * @example
   * ```ts
   * for await (const event of client.stream('hashtag:local', { tag: 'rust' })) console.log(event.event);
   * ```
   */
  stream<Name extends StreamName>(name: Name, ...rest: StreamArguments<Name>): MastodonStream;
  /**
   * The home timeline and notifications of the token's user (`user`).
   * @example
   * ```ts
   * for await (const event of client.user()) if (event.event === 'update') console.log(event.payload.account.acct);
   * ```
   */
  user(options?: StreamOptions): MastodonStream;
  /**
   * Notifications only (`user:notification`).
   * @example
   * ```ts
   * for await (const event of client.userNotification()) if (event.event === 'notification') console.log(event.payload.type);
   * ```
   */
  userNotification(options?: StreamOptions): MastodonStream;
  /**
   * The federated timeline, or its local/remote/media variants (`local` or `remote`, not both).
   * @example
   * ```ts
   * for await (const event of client.public({ local: true, onlyMedia: true })) console.log(event.event);
   * ```
   */
  public<Params extends PublicStreamParams = PublicStreamParams>(params?: PublicStreamArgument<Params>, options?: StreamOptions): MastodonStream;
  /**
   * Statuses with a hashtag (given without `#`), optionally local only.
   * @example
   * ```ts
   * for await (const event of client.hashtag('rust', { local: true })) if (event.event === 'update') console.log(event.payload.url);
   * ```
   */
  hashtag(tag: string, params?: { local?: boolean | undefined }, options?: StreamOptions): MastodonStream;
  /**
   * A list owned by the token's user.
   * @example
   * ```ts
   * for await (const event of client.list('42')) if (event.event === 'delete') console.log('deleted', event.payload);
   * ```
   */
  list(id: string, options?: StreamOptions): MastodonStream;
  /**
   * Direct conversations.
   * @example
   * ```ts
   * for await (const event of client.direct()) if (event.event === 'conversation') console.log(event.payload.last_status?.content);
   * ```
   */
  direct(options?: StreamOptions): MastodonStream;
  /**
   * True when the streaming server answers its health check; never throws.
   * @example
   * ```ts
   * if (!(await client.health({ signal: AbortSignal.timeout(5_000) }))) console.warn('streaming is down');
   * ```
   */
  health(options?: { signal?: AbortSignal | undefined }): Promise<boolean>;
  /**
   * The streaming base URL (discovered once, then cached).
   * @example
   * ```ts
   * console.log(await client.streamingBaseUrl()); // e.g. 'https://streaming.mastodon.social'
   * ```
   */
  streamingBaseUrl(): Promise<string>;
  /**
   * Forgets the discovered streaming URL, e.g. after an instance moved its streaming host.
   * @example
   * ```ts
   * client.clearDiscoveryCache(); // the next connection discovers the URL again
   * ```
   */
  clearDiscoveryCache(): void;
  /**
   * The instance document (`/api/v2/instance`, else `/api/v1/instance`) that discovery of the
   * streaming URL read, for as long as that URL is cached; never makes a request. `undefined`
   * before discovery, with `streamingUrl` given, or when the instance sent no document.
   * @example
   * ```ts
   * await client.streamingBaseUrl();
   * console.log(client.discoveredInstance()?.version); // '4.5.7', without asking again
   * ```
   */
  discoveredInstance(): InstanceDocument | undefined;
}

/**
 * What follows the name in `client.stream`: its parameters, required when the stream needs a tag or a list id (both
 * branches take the same parameters type, so a caller generic in the name can pass a `StreamParamsFor` of it), then
 * the options.
 */
type StreamArguments<Name extends StreamName> = {} extends StreamParamsFor<Name>
  ? [params?: StreamParamsFor<Name>, options?: StreamOptions]
  : [params: StreamParamsFor<Name>, options?: StreamOptions];

/** An instance document as the server sent it: only `version` is checked, the rest is not validated. */
export interface InstanceDocument {
  readonly version: string;
  readonly [field: string]: unknown;
}

/**
 * Creates a client for one Mastodon instance.
 *
 * @example
 * ```ts
 * import { createClient } from '@tootstream/core';
 *
 * const client = createClient({ url: 'https://mastodon.social', accessToken: process.env.TOKEN });
 * for await (const event of client.public({ local: true })) {
 *   if (event.event === 'update') console.log(event.payload.content);
 * }
 * ```
 */
export const createClient = (options: ClientOptions): MastodonClient => {
  // Read once: what the client does never changes with later edits to the object. (No options at all, from plain
  // JavaScript, is a missing url, not a TypeError from destructuring.)
  const { url, accessToken, streamingUrl, fetch, userAgent, clock = systemClock, random = Math.random, restTimeoutMs = DEFAULT_REST_TIMEOUT_MS, streamDefaults, ...unknownOptions } = options ?? {};
  const apiBase = parseBaseUrl(url, 'url');
  // A misspelt option (`token` for `accessToken`) would otherwise be dropped without a word: a 401 later, or discovery
  // where a streaming URL was given. (After the url's check, so a bare URL string passed as options is named for what it is.)
  // (Own names only: a polluted Object.prototype is not the caller's mistake.)
  for (const name of Object.keys(unknownOptions)) throw new MastodonArgumentError(`${name} is no client option`);
  const explicitStreamingBase = streamingUrl === undefined ? undefined : normalizeStreamingBase(parseBaseUrl(streamingUrl, 'streamingUrl'));
  const fetchImpl = fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Calling anything else fails like an unreachable server, which would be retried forever.
  if (typeof fetchImpl !== 'function') throw new MastodonArgumentError('fetch must be a function');
  if (userAgent !== undefined && !isHeaderSafe(userAgent)) throw new MastodonArgumentError('userAgent must be a string without line breaks or characters beyond Latin-1');
  // A number, not just above 0: "30000" passes `> 0` and is no timeout ky takes, and an object without a prototype throws there.
  if (typeof restTimeoutMs != 'number' || !(restTimeoutMs > 0)) throw new MastodonArgumentError(`restTimeoutMs must be a number > 0 (got ${shown(restTimeoutMs)})`);
  const baseHeaders: Record<string, string> = userAgent ? { 'User-Agent': userAgent } : {};
  let rest: Promise<Rest> | undefined;
  let loadedRest: Rest | undefined;
  const loadRest = (): Promise<Rest> =>
    (rest ??= loadKitUser(() => import('./rest.js')).then(
      (module) => (loadedRest = module.default(fetchImpl, restTimeoutMs, clock)),
      (error: unknown) => {
        rest = undefined;
        throw error;
      },
    ));

  const streamingBaseUrl = (signal?: AbortSignal): Promise<string> =>
    explicitStreamingBase === undefined ? loadRest().then((loaded) => loaded.streamingBase(apiBase, baseHeaders, signal)) : Promise.resolve(explicitStreamingBase);

  const resolveToken = async (): Promise<string | undefined> => {
    const token = typeof accessToken === 'function' ? await accessToken() : accessToken;
    if (token !== undefined && !isHeaderSafe(token)) throw new MastodonArgumentError('accessToken must be a string (or return one) without line breaks or characters beyond Latin-1');
    return token === '' ? undefined : token;
  };

  // `flags`: the convenience methods' own parameters (public's `local`, …), which a stream picked by name has in it.
  const stream = (name: StreamName, params?: StreamParams, streamOptions?: StreamOptions, flags?: string[]): MastodonStream => {
    const request = resolveStreamRequest(name, params, flags);
    const merged = settleStreamOptions(streamDefaults, streamOptions);
    if (merged.cursor !== undefined) assertCursorFits(merged.cursor, request.name, request.params);
    const observer = streamObserver(merged);
    /** Every loop still running: each iteration is its own session and connection. */
    const live = new Set<StreamSession>();
    let latest: StreamSession | undefined;
    let closed = false;
    return new MastodonStream(request.name, request.params, {
      stats: observer.stats,
      startLoop() {
        const resumeFrom = latest?.resumeCursor();
        const session = startSession({
          liveSessions: live,
          resolvedRequest: request,
          settledOptions: resumeFrom ? { ...merged, cursor: resumeFrom } : merged,
          clockSource: clock,
          randomSource: random,
          loadRest,
          apiBase,
          streamObserver: observer,
          prepareAttempt: async (signal) => {
            const [base, token] = await Promise.all([streamingBaseUrl(signal), resolveToken()]);
            // (The base has neither query nor fragment: it is normalized, given or discovered.)
            const url = new URL(base + request.pathAndQuery);
            // The token only ever travels in a header: URLs end up in logs and proxies.
            // (resolveToken gives a non-empty token or undefined, which spreads nothing.)
            return { streamUrl: url, requestHeaders: { Accept: 'text/event-stream', ...baseHeaders, ...(token && { Authorization: `Bearer ${token}` }) }, fetchStream: fetchImpl, clockSource: clock };
          },
        });
        // A closed stream stays closed, as an aborted signal does (a shutdown that came before the loop started); its
        // cursor stays the last loop's.
        if (closed) void session.return();
        else latest = session;
        return session;
      },
      // Before the first iteration: the cursor the stream resumes from, or a fresh one on the client's clock.
      latestCursor: () => latest?.cursor() ?? merged.cursor ?? { version: 1, stream: request.name, params: { ...request.params }, takenAt: clock.now() },
      closeLoops() {
        closed = true;
        // return() finishes a session synchronously (only its result is async), removing it from the set as this walks it.
        for (const session of live) void session.return();
      },
    });
  };

  return {
    stream,
    user: (streamOptions) => stream('user', {}, streamOptions),
    userNotification: (streamOptions) => stream('user:notification', {}, streamOptions),
    public: (params, streamOptions) => stream(publicStreamName(params), params as StreamParams, streamOptions, ['local', 'remote', 'onlyMedia']),
    hashtag: (tag, params, streamOptions) => stream(params?.local ? 'hashtag:local' : 'hashtag', { ...params, tag }, streamOptions, ['local']),
    list: (id, streamOptions) => stream('list', { list: id }, streamOptions),
    direct: (streamOptions) => stream('direct', {}, streamOptions),
    streamingBaseUrl,
    clearDiscoveryCache: () => loadedRest?.forgetStreamingBase(),
    discoveredInstance: () => loadedRest?.discoveredDocument(),
    health: async ({ signal } = {}) => {
      try {
        const [base, loaded] = await Promise.all([streamingBaseUrl(signal), loadRest()]);
        return await loaded.isHealthy(base, baseHeaders, signal);
      } catch {
        return false;
      }
    },
  };
};

/** What `Headers` accepts in a value (a stray line break or a pasted non-Latin-1 character would fail every request, retried forever). */
const isHeaderSafe = (value: unknown): boolean => typeof value === 'string' && !/[^\t -~\x80-\xff]/.test(value);
