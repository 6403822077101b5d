import { createClient, type MastodonStream } from '@tootstream/core';
import { DEFAULT_CLIENT_OPTIONS } from './defaults.js';
import type { HashtagStreamOptions, ListIdLike, LocalStreamOptions, MastodonOptions, PublicStreamArgument, PublicStreamOptions } from './mastodon-options.js';
import { loadChunk } from './chunk-loader.js';
import { asError } from './error-mapping.js';
import { ERRORS, MastodonIllegalArgumentError } from './errors.js';
import { RESERVED_HANDLER_NAMES } from './handler-name.js';
import type { InstanceContext } from './instance-checks.js';
import { StreamHandle } from './stream-handle.js';
import { StreamListener } from './stream-listener.js';
import { checkSeconds, refuseOtherOptions, resolveStreamOptions, shown, type AsyncStreamOptions, type BlockingStreamOptions, type StreamCallOptions } from './stream-options.js';
import { runBlocking, startRun } from './stream-run.js';
import { VERSION_GATES } from './version-gates.js';
import { MastodonWarning } from './warning.js';

// Instance requests (version gate, feed warning, health) are a lazily loaded chunk: a plain stream never needs them.
const loadInstanceChecks = () => loadChunk(import('./instance-checks.js'));

/**
 * A Mastodon client with Mastodon.py's streaming methods, on top of
 * `@tootstream/core`. Every `stream*` method takes a listener and options
 * (`runAsync`, `timeout`, `reconnectAsync`, `reconnectAsyncWaitSec`, …):
 * without `runAsync` it returns a Promise that resolves when the server ends
 * the stream and rejects otherwise (after `onAbort(err)`, unless a handler
 * threw: then with what it threw, and no `onAbort`); with `runAsync:
 * true` it resolves to a {@link StreamHandle} as soon as the arguments (and
 * the version, with `versionCheckMode`) have passed their checks, and connects
 * in the background. A failed check rejects the call in both modes.
 *
 * @example
 * ```ts
 * import { Mastodon, CallbackStreamListener } from '@tootstream/listener';
 *
 * const mastodon = new Mastodon({ apiBaseUrl: 'https://mastodon.social', accessToken: process.env.TOKEN });
 * const listener = new CallbackStreamListener({ updateHandler: (status) => console.log(status.content) });
 * const handle = await mastodon.streamHashtag('rust', listener, { runAsync: true, reconnectAsync: true });
 * // …
 * await handle.close();
 * ```
 */
export class Mastodon {
  /** The core client, the options, and the instance cache; shared with the lazily loaded instance checks. */
  readonly #context: InstanceContext;

  constructor(given: MastodonOptions) {
    // One snapshot: core copies what it reads now, so the instance checks and restarts must not see later edits either.
    given = { ...given };
    refuseOtherOptions(given);
    // Core's names for two of ours: the listener's own would override them without a word.
    for (const key of Object.keys(given)) if (/^(url|restTimeoutMs)$/.test(key)) throw new MastodonIllegalArgumentError(`${key} is core's name; here it is apiBaseUrl or requestTimeout (seconds)`);
    // The rest of core's stream options are each call's, so here they would be dropped: a shutdown `signal` that ends
    // no listener stream, an `onError` never called.
    refuseOtherOptions(given.streamDefaults, ['maxEventBytes', 'onStateChange', 'onConnecting', 'onOpen', 'onStalled', 'onGap', 'onClose'], 'streamDefaults');
    // Ours stay here; core refuses any name left that it does not have (`token` for `accessToken`).
    const { apiBaseUrl, versionCheckMode: mode = DEFAULT_CLIENT_OPTIONS.versionCheckMode, requestTimeout: givenTimeout, onWarning, ...coreOptions } = given;
    // Python's `request_timeout=None` is no timeout.
    const requestTimeout = givenTimeout === null ? Infinity : (givenTimeout ?? DEFAULT_CLIENT_OPTIONS.requestTimeout);
    // Named as the listener names it (core would say `url … (got "undefined")`): a port may pass `api_base_url`.
    if (!apiBaseUrl || typeof apiBaseUrl != 'string') throw new MastodonIllegalArgumentError('apiBaseUrl is required: the instance, such as mastodon.social');
    // Mastodon.py's api_base_url takes a bare host (`'mastodon.social'`) and prepends https://; a URL with a scheme is core's to check.
    const url = apiBaseUrl.includes('://') ? apiBaseUrl : 'https://' + apiBaseUrl;
    checkSeconds('requestTimeout', requestTimeout, '> 0', typeof requestTimeout == 'number' && requestTimeout > 0);
    // As Mastodon.py's constructor does: any other value would silently act as 'changed'.
    if (!['none', 'created', 'changed'].includes(mode)) throw new MastodonIllegalArgumentError(`versionCheckMode must be none, created or changed (got ${shown(mode)})`);
    // At least 1 ms: a tiny requestTimeout rounded to 0 would turn the timeouts off.
    const restTimeoutMs = Math.max(1, Math.round(requestTimeout * 1000));
    try {
      const core = createClient({
        ...coreOptions,
        url,
        restTimeoutMs,
        // Core's discovery asks for the instance document the instance checks may have fetched already: it gets
        // their copy, so a stream start fetches the document once. Anything but a function is core's to reject.
        // (The global fetch is looked up per request, as core does, so one installed later is used.)
        fetch: typeof (given.fetch ?? fetch) == 'function' ? (input, init) => (this.#context.coreFetch ?? given.fetch ?? fetch)(input, init) : given.fetch,
      });
      // The instance checks are on demand and import nothing the entry loads: they get its classes and gates here.
      this.#context = { clientOptions: given, instanceUrl: url, requestTimeoutMs: restTimeoutMs, core, versionMode: mode, kit: [ERRORS, VERSION_GATES, MastodonWarning] };
    } catch (error) {
      // asError keeps an Error as it is and makes anything else an Error of its text, so this reads that text either way.
      throw new MastodonIllegalArgumentError(asError(error).message, { cause: error });
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
  streamUser(listener: StreamListener, options: AsyncStreamOptions): Promise<StreamHandle>;
  streamUser(listener: StreamListener, options?: StreamCallOptions): Promise<void | StreamHandle>;
  streamUser(listener: StreamListener, options: StreamCallOptions = {}): Promise<void | StreamHandle> {
    return start(this.#context, listener, options, 'user');
  }

  /**
   * Notifications only (`/api/v1/streaming/user/notification`); an addition, Mastodon.py lacks it.
   * @example
   * ```ts
   * const handle = await mastodon.streamUserNotification(listener, { runAsync: true });
   * ```
   */
  streamUserNotification(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamUserNotification(listener: StreamListener, options: AsyncStreamOptions): Promise<StreamHandle>;
  streamUserNotification(listener: StreamListener, options?: StreamCallOptions): Promise<void | StreamHandle>;
  streamUserNotification(listener: StreamListener, options: StreamCallOptions = {}): Promise<void | StreamHandle> {
    return start(this.#context, listener, options, 'userNotification');
  }

  /**
   * The federated timeline; `local` or `remote` (not both) narrow it.
   * @example
   * ```ts
   * await mastodon.streamPublic(listener, { remote: true });
   * ```
   */
  streamPublic<Options extends BlockingStreamOptions & PublicStreamOptions>(listener: StreamListener, options?: PublicStreamArgument<Options, BlockingStreamOptions & PublicStreamOptions>): Promise<void>;
  streamPublic<Options extends AsyncStreamOptions & PublicStreamOptions>(listener: StreamListener, options: PublicStreamArgument<Options, AsyncStreamOptions & PublicStreamOptions>): Promise<StreamHandle>;
  streamPublic<Options extends StreamCallOptions & PublicStreamOptions>(listener: StreamListener, options?: PublicStreamArgument<Options, StreamCallOptions & PublicStreamOptions>): Promise<void | StreamHandle>;
  streamPublic(listener: StreamListener, options: StreamCallOptions & PublicStreamOptions = {}): Promise<void | StreamHandle> {
    // Core takes the stream's parameters only (it refuses any other name), and rejects `local` with `remote`
    // (MastodonIllegalArgumentError, before any request).
    const { local, remote, onlyMedia } = options;
    return start(this.#context, listener, options, 'public', { local, remote, onlyMedia });
  }

  /**
   * The local timeline: the same as `streamPublic(listener, { local: true })`.
   * @deprecated As in Mastodon.py: use `streamPublic(listener, { local: true })`.
   * @example
   * ```ts
   * await mastodon.streamPublic(listener, { local: true }); // instead of streamLocal(listener)
   * ```
   */
  streamLocal(listener: StreamListener, options?: BlockingStreamOptions & LocalStreamOptions): Promise<void>;
  streamLocal(listener: StreamListener, options: AsyncStreamOptions & LocalStreamOptions): Promise<StreamHandle>;
  streamLocal(listener: StreamListener, options?: StreamCallOptions & LocalStreamOptions): Promise<void | StreamHandle>;
  streamLocal(listener: StreamListener, options: StreamCallOptions & LocalStreamOptions = {}): Promise<void | StreamHandle> {
    // `remote` is left as given: streamPublic refuses it with `local` (it was overridden without a word).
    return this.streamPublic(listener, { ...options, local: true });
  }

  /**
   * Statuses with a hashtag, given without `#` (sent percent-encoded, so any text is safe).
   * @example
   * ```ts
   * const handle = await mastodon.streamHashtag('rust', listener, { local: true, runAsync: true });
   * ```
   */
  streamHashtag(tag: string, listener: StreamListener, options?: BlockingStreamOptions & HashtagStreamOptions): Promise<void>;
  streamHashtag(tag: string, listener: StreamListener, options: AsyncStreamOptions & HashtagStreamOptions): Promise<StreamHandle>;
  streamHashtag(tag: string, listener: StreamListener, options?: StreamCallOptions & HashtagStreamOptions): Promise<void | StreamHandle>;
  streamHashtag(tag: string, listener: StreamListener, options: StreamCallOptions & HashtagStreamOptions = {}): Promise<void | StreamHandle> {
    // Core takes the stream's parameters only (it refuses any other name).
    return start(this.#context, listener, options, 'hashtag', tag, { local: options.local });
  }

  /**
   * A list of the token's user; `id` may be the id or the list entity.
   * @example
   * ```ts
   * await mastodon.streamList(list, listener); // or streamList('42', listener)
   * ```
   */
  streamList(id: ListIdLike, listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamList(id: ListIdLike, listener: StreamListener, options: AsyncStreamOptions): Promise<StreamHandle>;
  streamList(id: ListIdLike, listener: StreamListener, options?: StreamCallOptions): Promise<void | StreamHandle>;
  streamList(id: ListIdLike, listener: StreamListener, options: StreamCallOptions = {}): Promise<void | StreamHandle> {
    // A number is core's to turn into text, as it does for its own list().
    return start(this.#context, listener, options, 'list', typeof id === 'object' && id !== null ? id.id : id);
  }

  /**
   * Direct conversations (`/api/v1/streaming/direct`).
   * @example
   * ```ts
   * const handle = await mastodon.streamDirect(listener, { runAsync: true });
   * ```
   */
  streamDirect(listener: StreamListener, options?: BlockingStreamOptions): Promise<void>;
  streamDirect(listener: StreamListener, options: AsyncStreamOptions): Promise<StreamHandle>;
  streamDirect(listener: StreamListener, options?: StreamCallOptions): Promise<void | StreamHandle>;
  streamDirect(listener: StreamListener, options: StreamCallOptions = {}): Promise<void | StreamHandle> {
    return start(this.#context, listener, options, 'direct');
  }

  /**
   * True iff the streaming server's health endpoint answers `OK` (or `success`).
   * HTTP errors reject with the matching `Mastodon*Error`, network failures with `MastodonNetworkError`.
   * @example
   * ```ts
   * // A server that is down answers with an error status (503) or not at all, and both reject: false means a body other than `OK`.
   * const healthy = await mastodon.streamHealthy().catch(() => false);
   * if (!healthy) console.warn('streaming is down');
   * ```
   */
  async streamHealthy(): Promise<boolean> {
    return (await loadInstanceChecks()).streamHealthy(this.#context);
  }

  /**
   * The streaming base URL (discovered from the instance once, then cached).
   * @example
   * ```ts
   * await mastodon.streamingBaseUrl(); // 'https://streaming.mastodon.social'
   * ```
   */
  streamingBaseUrl(): Promise<string> {
    return this.#context.core.streamingBaseUrl();
  }

  /**
   * Forgets the cached instance information and streaming URL (Mastodon.py `clear_caches`).
   * @example
   * ```ts
   * mastodon.clearCaches(); // the next stream rediscovers the streaming host
   * ```
   */
  clearCaches(): void {
    this.#context.core.clearDiscoveryCache();
    this.#context.instanceDocument = undefined;
  }
}

// The handlers the run itself calls: the reserved ones (which no event may reach) and the heartbeat's.
const LISTENER_MACHINERY = [...RESERVED_HANDLER_NAMES, 'handleHeartbeat'];

/** The core client methods the stream methods map to (their names are also the version-gate features). */
type CoreStreamMethod = 'user' | 'userNotification' | 'public' | 'hashtag' | 'list' | 'direct';

/**
 * What every `stream*` method does (listener-port.md §9.1): check the
 * arguments, then, if the stream needs them, the instance facts (the version
 * gate), all before the call settles: an error rejects the call before any
 * stream request, and `onAbort` is not called. Then it runs the core stream
 * `method(...args, coreOptions)`: to its end in blocking mode, or in the
 * background behind the {@link StreamHandle} the call resolves to.
 */
const start = async (
  context: InstanceContext,
  listener: StreamListener,
  options: StreamCallOptions & PublicStreamOptions,
  method: CoreStreamMethod,
  ...args: unknown[]
): Promise<void | StreamHandle> => {
  // The run calls these itself: a plain object with only `onUpdate` (duck typing, as in Python) would connect and then
  // fail on every event and heartbeat. A StreamListener has them all; so may an object that implements them.
  if (!LISTENER_MACHINERY.every((name) => typeof (listener as unknown as Record<string, unknown> | null)?.[name] == 'function')) {
    throw new MastodonIllegalArgumentError('listener must be a StreamListener');
  }
  // The public and hashtag streams' own options are in the same object: another stream's call refuses them
  // (`streamUser(l, { local: true })`, `streamHashtag(tag, l, { onlyMedia: true })` streamed what they did not ask for).
  const resolved = resolveStreamOptions(options, method == 'public' ? ['local', 'remote', 'onlyMedia'] : method == 'hashtag' ? ['local'] : []);
  const run = startRun({
    runListener: listener,
    runOptions: resolved,
    // The wait for response headers is bounded by requestTimeout and by `timeout` too, whichever is shorter (listener-port.md §9.2;
    // core's stall watchdog needs a body to start). `timeout: 0` leaves requestTimeout alone.
    openCoreStream: (core) =>
      (context.core as unknown as Record<CoreStreamMethod, (...params: unknown[]) => MastodonStream>)[method](...args, {
        ...core,
        connectTimeoutMs: Math.min(context.requestTimeoutMs, resolved.coreOptions.stallTimeoutBeforeHeartbeatMs || Infinity),
      }),
    backoffSources: context.clientOptions,
    // Only streams that need instance facts cost an instance request (and the chunk that makes it): the version gate,
    // and the feed-availability warning of the public and hashtag streams (which the check leaves for the background).
    instanceChecks:
      method !== 'public' && method !== 'hashtag' && context.versionMode === 'none'
        ? undefined
        : // If the chunk cannot load, the checks pass as when the instance does not answer: the warning is never fatal,
          // and an unknown version passes the gate.
          async (signal) => (await loadInstanceChecks().catch(() => undefined))?.checkStream(context, method, options, signal),
  });
  await run.runChecks();
  // Truthy, as the options' resolution reads it: a `runAsync: 1` (Mastodon.py's run_async=1) gets the handle its run behaves as.
  return options.runAsync ? new StreamHandle(run, listener.onAbort === StreamListener.prototype.onAbort) : runBlocking(run);
};
