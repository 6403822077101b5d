import { createClient, type ClientOptions, type MastodonClient, type MastodonStream, type StreamOptions } from '@tootstream/core';
import { feedWarning, MastodonWarning, type FeedAccessQuery } from './availability.js';
import { DEFAULT_CLIENT_OPTIONS } from './defaults.js';
import { MastodonIllegalArgumentError } from './errors.js';
import { fetchInstance, fetchStreamHealth } from './rest.js';
import { assertVersion, type StreamingFeature, type VersionCheckMode } from './version-check.js';
import { StreamHandle } from './stream-handle.js';
import type { StreamListener } from './stream-listener.js';
import { resolveStreamOptions, type AsyncStreamOptions, type BlockingStreamOptions, type StreamCallOptions } from './stream-options.js';
import { runBlocking, StreamRun } from './stream-run.js';
import { withHeaderTimeout } from './fetch-timeout.js';

/** Options of {@link Mastodon}; everything except the first three passes through to `@tootstream/core`'s `createClient`. */
export interface MastodonOptions extends Omit<ClientOptions, 'url' | 'restTimeoutMs'> {
  /** The instance, e.g. `https://mastodon.social` (Mastodon.py `api_base_url`). */
  apiBaseUrl: string;
  /** Seconds a REST call and the wait for a stream's response headers may take (Mastodon.py `request_timeout`). Default 300. */
  requestTimeout?: number;
  /** Receives non-fatal notices (feed availability). Default: `console.warn`. */
  onWarning?: (warning: MastodonWarning) => void;
  /** Mastodon.py's `version_check_mode`: reject with `MastodonVersionError` before connecting to a server too old for the stream. Default `'none'`. */
  versionCheckMode?: VersionCheckMode;
}

/** `streamPublic`'s own options. */
export interface PublicStreamOptions {
  /** Only statuses from this server (`/public/local`). */
  local?: boolean;
  /** Only statuses from other servers (`/public/remote`). Cannot be combined with `local`. */
  remote?: boolean;
  /** Only statuses with media (an addition; Mastodon.py lacks it). */
  onlyMedia?: boolean;
}

/** `streamHashtag`'s own options. */
export interface HashtagStreamOptions {
  /** Only statuses from this server (`/hashtag/local`). */
  local?: boolean;
}

/** A list id, or anything with an `id` (a list entity), as Mastodon.py accepts. */
export type ListIdLike = string | number | { id: string | number };

/**
 * A Mastodon client with Mastodon.py's streaming methods, on top of
 * `@tootstream/core`. Every `stream*` method takes a listener and options
 * (`runAsync`, `timeout`, `reconnectAsync`, `reconnectAsyncWaitSec`, …):
 * without `runAsync` it returns a Promise that resolves when the server ends
 * the stream and rejects (after `onAbort(err)`) otherwise; with `runAsync:
 * true` it returns a {@link StreamHandle} at once.
 *
 * @example
 * ```ts
 * import { Mastodon, CallbackStreamListener } from '@tootstream/listener';
 *
 * const mastodon = new Mastodon({ apiBaseUrl: 'https://mastodon.social', accessToken: process.env.TOKEN });
 * const listener = new CallbackStreamListener({ updateHandler: (status) => console.log(status.content) });
 * const handle = mastodon.streamHashtag('rust', listener, { runAsync: true, reconnectAsync: true });
 * // …
 * await handle.close();
 * ```
 */
export class Mastodon {
  private readonly core: MastodonClient;
  private readonly options: MastodonOptions;
  private readonly fetch: typeof fetch;
  private readonly requestTimeoutMs: number;
  private instance: Promise<unknown> | undefined;

  constructor(options: MastodonOptions) {
    const { apiBaseUrl, requestTimeout = DEFAULT_CLIENT_OPTIONS.requestTimeout, onWarning: _onWarning, versionCheckMode: _mode, ...passthrough } = options;
    if (!(requestTimeout > 0)) throw new MastodonIllegalArgumentError(`requestTimeout must be a number of seconds > 0 (got ${String(requestTimeout)})`);
    this.options = options;
    this.requestTimeoutMs = Math.round(requestTimeout * 1000);
    const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.fetch = withHeaderTimeout(baseFetch, this.requestTimeoutMs);
    try {
      this.core = createClient({ ...passthrough, url: apiBaseUrl, fetch: this.fetch, restTimeoutMs: this.requestTimeoutMs });
    } catch (error) {
      throw new MastodonIllegalArgumentError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /**
   * The home timeline and notifications of the token's user (`/api/v1/streaming/user`).
   * @example
   * ```ts
   * await mastodon.streamUser(listener); // until the server ends the stream
   * ```
   */
  streamUser(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamUser(listener: StreamListener, options: AsyncStreamOptions): StreamHandle;
  streamUser(listener: StreamListener, options?: StreamCallOptions): Promise<void> | StreamHandle;
  streamUser(listener: StreamListener, options: StreamCallOptions = {}): Promise<void> | StreamHandle {
    return this.start(listener, options, 'user', (core) => this.core.user(core));
  }

  /**
   * Notifications only (`/api/v1/streaming/user/notification`); an addition, Mastodon.py lacks it.
   * @example
   * ```ts
   * const handle = mastodon.streamUserNotification(listener, { runAsync: true });
   * ```
   */
  streamUserNotification(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamUserNotification(listener: StreamListener, options: AsyncStreamOptions): StreamHandle;
  streamUserNotification(listener: StreamListener, options?: StreamCallOptions): Promise<void> | StreamHandle;
  streamUserNotification(listener: StreamListener, options: StreamCallOptions = {}): Promise<void> | StreamHandle {
    return this.start(listener, options, 'userNotification', (core) => this.core.userNotification(core));
  }

  /**
   * The federated timeline; `local` or `remote` (not both) narrow it.
   * @example
   * ```ts
   * await mastodon.streamPublic(listener, { remote: true });
   * ```
   */
  streamPublic(listener: StreamListener, options?: BlockingStreamOptions & PublicStreamOptions): Promise<void>;
  streamPublic(listener: StreamListener, options: AsyncStreamOptions & PublicStreamOptions): StreamHandle;
  streamPublic(listener: StreamListener, options?: StreamCallOptions & PublicStreamOptions): Promise<void> | StreamHandle;
  streamPublic(listener: StreamListener, options: StreamCallOptions & PublicStreamOptions = {}): Promise<void> | StreamHandle {
    const { local = false, remote = false, onlyMedia = false } = options;
    if (local && remote) return this.reject(options, new MastodonIllegalArgumentError('`local` and `remote` cannot both be set'));
    const scope = local ? 'local' : remote ? 'remote' : 'any';
    return this.start(listener, options, 'public', (core) => this.core.public({ local, remote, onlyMedia }, core), { feed: 'live_feeds', scope });
  }

  /**
   * The local timeline: the same as `streamPublic(listener, { local: true })`.
   * @deprecated As in Mastodon.py: use `streamPublic(listener, { local: true })`.
   * @example
   * ```ts
   * await mastodon.streamPublic(listener, { local: true }); // instead of streamLocal(listener)
   * ```
   */
  streamLocal(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamLocal(listener: StreamListener, options: AsyncStreamOptions): StreamHandle;
  streamLocal(listener: StreamListener, options?: StreamCallOptions): Promise<void> | StreamHandle;
  streamLocal(listener: StreamListener, options: StreamCallOptions = {}): Promise<void> | StreamHandle {
    return this.streamPublic(listener, { ...options, local: true, remote: false });
  }

  /**
   * Statuses with a hashtag, given without `#` (sent percent-encoded, so any text is safe).
   * @example
   * ```ts
   * const handle = mastodon.streamHashtag('rust', listener, { local: true, runAsync: true });
   * ```
   */
  streamHashtag(tag: string, listener: StreamListener, options?: BlockingStreamOptions & HashtagStreamOptions): Promise<void>;
  streamHashtag(tag: string, listener: StreamListener, options: AsyncStreamOptions & HashtagStreamOptions): StreamHandle;
  streamHashtag(tag: string, listener: StreamListener, options?: StreamCallOptions & HashtagStreamOptions): Promise<void> | StreamHandle;
  streamHashtag(tag: string, listener: StreamListener, options: StreamCallOptions & HashtagStreamOptions = {}): Promise<void> | StreamHandle {
    const local = options.local ?? false;
    return this.start(listener, options, 'hashtag', (core) => this.core.hashtag(tag, { local }, core), {
      feed: 'hashtag_feeds',
      scope: local ? 'local' : 'any',
    });
  }

  /**
   * A list of the token's user; `id` may be the id or the list entity.
   * @example
   * ```ts
   * await mastodon.streamList(list, listener); // or streamList('42', listener)
   * ```
   */
  streamList(id: ListIdLike, listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamList(id: ListIdLike, listener: StreamListener, options: AsyncStreamOptions): StreamHandle;
  streamList(id: ListIdLike, listener: StreamListener, options?: StreamCallOptions): Promise<void> | StreamHandle;
  streamList(id: ListIdLike, listener: StreamListener, options: StreamCallOptions = {}): Promise<void> | StreamHandle {
    const raw = typeof id === 'object' && id !== null ? id.id : id;
    return this.start(listener, options, 'list', (core) => this.core.list(typeof raw === 'number' ? String(raw) : (raw as string), core));
  }

  /**
   * Direct conversations (`/api/v1/streaming/direct`).
   * @example
   * ```ts
   * const handle = mastodon.streamDirect(listener, { runAsync: true });
   * ```
   */
  streamDirect(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamDirect(listener: StreamListener, options: AsyncStreamOptions): StreamHandle;
  streamDirect(listener: StreamListener, options?: StreamCallOptions): Promise<void> | StreamHandle;
  streamDirect(listener: StreamListener, options: StreamCallOptions = {}): Promise<void> | StreamHandle {
    return this.start(listener, options, 'direct', (core) => this.core.direct(core));
  }

  /**
   * True iff the streaming server's health endpoint answers `OK` (or `success`).
   * HTTP errors reject with the matching `Mastodon*Error`, network failures with `MastodonNetworkError`.
   * @example
   * ```ts
   * if (!(await mastodon.streamHealthy())) console.warn('streaming is down');
   * ```
   */
  async streamHealthy(): Promise<boolean> {
    await this.checkVersion('health');
    const base = await this.core.streamingBaseUrl();
    return fetchStreamHealth(this.fetch, `${base}/api/v1/streaming/health`, await this.restHeaders());
  }

  /**
   * The streaming base URL (discovered from the instance once, then cached).
   * @example
   * ```ts
   * await mastodon.streamingBaseUrl(); // 'https://streaming.mastodon.social'
   * ```
   */
  streamingBaseUrl(): Promise<string> {
    return this.core.streamingBaseUrl();
  }

  /**
   * Forgets the cached instance information and streaming URL (Mastodon.py `clear_caches`).
   * @example
   * ```ts
   * mastodon.clearCaches(); // the next stream rediscovers the streaming host
   * ```
   */
  clearCaches(): void {
    this.core.clearDiscoveryCache();
    this.instance = undefined;
  }

  private start(
    listener: StreamListener,
    options: StreamCallOptions,
    feature: StreamingFeature,
    open: (core: StreamOptions) => MastodonStream,
    feed?: Omit<FeedAccessQuery, 'hasToken'>,
  ): Promise<void> | StreamHandle {
    const checksVersion = (this.options.versionCheckMode ?? DEFAULT_CLIENT_OPTIONS.versionCheckMode) !== 'none';
    let run: StreamRun;
    try {
      if (listener === null || typeof listener !== 'object') throw new MastodonIllegalArgumentError('listener must be a StreamListener');
      const resolved = resolveStreamOptions(options);
      run = new StreamRun({
        listener,
        options: resolved,
        open,
        random: this.options.random ?? Math.random,
        // Only streams that need instance facts cost an instance request before connecting.
        ...(feed === undefined && !checksVersion
          ? {}
          : {
              prepare: async () => {
                await this.checkVersion(feature);
                if (feed !== undefined) await this.warnIfUnavailable(feed);
              },
            }),
      });
    } catch (error) {
      return this.reject(options, error);
    }
    return options.runAsync === true ? new StreamHandle(run) : runBlocking(run);
  }

  /** Argument errors: thrown at once in async mode (there is no handle yet), a rejected Promise in blocking mode. */
  private reject(options: StreamCallOptions, error: unknown): Promise<never> {
    if (options.runAsync === true) throw error;
    return Promise.reject(error);
  }

  /** The instance document (v2, else v1), fetched once and cached until `clearCaches()`; `undefined` if neither answers. */
  private async instanceInfo(): Promise<unknown> {
    const base = withSlash(this.options.apiBaseUrl);
    const headers = await this.restHeaders();
    this.instance ??= fetchInstance(this.fetch, [new URL('api/v2/instance', base), new URL('api/v1/instance', base)], headers);
    return this.instance;
  }

  private async checkVersion(feature: StreamingFeature): Promise<void> {
    const mode = this.options.versionCheckMode ?? DEFAULT_CLIENT_OPTIONS.versionCheckMode;
    if (mode !== 'none') assertVersion(await this.instanceInfo(), feature, mode);
  }

  private async warnIfUnavailable(feed: Omit<FeedAccessQuery, 'hasToken'>): Promise<void> {
    const warning = feedWarning(await this.instanceInfo(), { ...feed, hasToken: (await this.token()) !== undefined });
    if (warning === undefined) return;
    if (this.options.onWarning) this.options.onWarning(warning);
    else console.warn(`[tootstream/listener] ${warning.name}: ${warning.message}`);
  }

  private async token(): Promise<string | undefined> {
    const token = typeof this.options.accessToken === 'function' ? await this.options.accessToken() : this.options.accessToken;
    return token === '' ? undefined : token;
  }

  private async restHeaders(): Promise<Record<string, string>> {
    const token = await this.token();
    return {
      Accept: 'application/json',
      ...(this.options.userAgent ? { 'User-Agent': this.options.userAgent } : {}),
      ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
    };
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
