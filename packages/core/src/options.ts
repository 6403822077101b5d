import type { Clock, RandomSource } from './clock.js';
import type { StreamCursor } from './cursor.js';
import type { AnyTootstreamError } from './error-union.js';
import type { ValidationMode } from './event-decoder.js';
import type { StreamHooks } from './stream-hooks.js';

/** How a dropped stream is retried. All fields have defaults ({@link DEFAULT_RECONNECT_POLICY}). */
export interface ReconnectPolicy {
  /** Upper bound of the first retry delay. Default 1000 ms. */
  initialDelayMs: number;
  /** Growth of the delay bound per failed attempt. Default 2. */
  factor: number;
  /** Cap of the delay bound. Default 60 000 ms. */
  maxDelayMs: number;
  /** Lower bound of any delay, so full jitter never degenerates into a tight loop. Default 100 ms. */
  minDelayMs: number;
  /** `'full'`: wait a uniformly random time in [minDelayMs, bound]; `'none'`: wait the bound. Default `'full'`. */
  jitter: 'full' | 'none';
  /**
   * Reconnect attempts (retries) since the last healthy connection before giving up; the first connection attempt is
   * not one, so `3` allows four connection attempts. Default `Infinity`.
   */
  maxAttempts: number;
  /** Total time spent failing (since the last healthy connection) before giving up. Default `Infinity`. */
  maxElapsedMs: number;
  /** A connection that stayed up this long, or delivered a live event or a heartbeat, resets the attempt count and delay. Default 60 000 ms. */
  resetAfterMs: number;
}

/** How gaps are backfilled over REST after a reconnect. */
export interface CatchUpPolicy {
  /**
   * Items asked for per REST page, at most what Mastodon serves each route (statuses and conversations 40, notifications
   * 80). Default 80: as many as each route serves, so a walk costs the fewest requests (each counts against Mastodon's
   * limit on paged requests).
   */
  pageSize: number;
  /** Pages fetched per route per reconnect; past it a `gap` is signalled. Default 10. */
  maxPages: number;
}

/**
 * Every field optional, and `undefined` taken as left out (the default applies), so that code built with
 * `exactOptionalPropertyTypes` can pass a value it may not have.
 */
type OptionalFields<T> = { [Name in keyof T]?: T[Name] | undefined };

/**
 * Options of one stream. Every field is optional, and each one's doc names its default; the single values are
 * in {@link DEFAULT_STREAM_OPTIONS}, the policies in {@link DEFAULT_RECONNECT_POLICY} and {@link DEFAULT_CATCH_UP_POLICY}.
 */
export interface StreamOptions extends OptionalFields<StreamHooks> {
  /** Aborting ends the iteration quietly and closes the connection. */
  signal?: AbortSignal | undefined;
  /** `'essentials'` (default) checks the fields the SDK and most apps use; `'full'` validates deeply; `'off'` trusts the server. */
  validate?: ValidationMode | undefined;
  /** `'report'` (default) hands malformed events to `onError` and goes on; `'throw'` ends the iteration with MastodonMalformedEventError. */
  malformedEvents?: 'report' | 'throw' | undefined;
  /** `'replace'` (default, WHATWG) decodes invalid UTF-8 as U+FFFD; `'report'` treats such an event as malformed (see `malformedEvents`). */
  invalidUtf8?: 'replace' | 'report' | undefined;
  /**
   * Largest event (or unterminated line) buffered before the connection is dropped with MastodonEventTooLargeError. Default 1 MiB.
   * Counted in bytes once a stream has sent a CR; on the LF-only fast path (every Mastodon server) in UTF-16 code units of the
   * decoded text, so text beyond ASCII may reach up to 3× the limit in bytes before it is refused (the memory held stays bounded).
   */
  maxEventBytes?: number | undefined;
  /** Reconnect policy, or `false` to end (or throw) when the connection does. Default: on. */
  reconnect?: false | OptionalFields<ReconnectPolicy> | undefined;
  /** With no byte for this long while a read is pending, the connection is replaced. 0 disables. Default 45 000 ms (3 Mastodon heartbeats). */
  stallTimeoutMs?: number | undefined;
  /**
   * The stall limit of a connection that has sent no heartbeat yet (the `:)` opener does not count),
   * for servers that may send none; from its first heartbeat on, `stallTimeoutMs` applies. 0 disables.
   * Default: `stallTimeoutMs`.
   */
  stallTimeoutBeforeHeartbeatMs?: number | undefined;
  /** A connection attempt without response headers for this long fails (and is retried). 0 disables. Default 30 000 ms. */
  connectTimeoutMs?: number | undefined;
  /** REST backfill after reconnects, or `false`. Default: on. */
  catchUp?: false | OptionalFields<CatchUpPolicy> | undefined;
  /** How many recent keys the duplicate suppression remembers at least (at most twice as many), or `false`. Default 4096 keys. */
  dedupe?: false | { capacity?: number | undefined } | undefined;
  /** A cursor from `stream.cursor()` (possibly from another process) to resume from with catch-up. */
  cursor?: StreamCursor | undefined;
  /** Receives malformed events (in stream order, after the events before them), catch-up failures and other non-fatal errors. Default: `console.warn`. */
  onError?: ((error: AnyTootstreamError) => void) | undefined;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The instance's base URL, e.g. `https://mastodon.social`. */
  url: string;
  /**
   * A user token, or a function called before every connection attempt (for refreshed tokens); `undefined` or `''`
   * (given or returned) is no token, so no `Authorization` header.
   */
  accessToken?: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  /** Streaming base URL; skips discovery. */
  streamingUrl?: string | undefined;
  /** The `fetch` to use. Default: `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Sent as `User-Agent` where the runtime allows it. */
  userAgent?: string | undefined;
  /** Timer source. Default: the runtime's. */
  clock?: Clock | undefined;
  /** Random source for jitter. Default `Math.random`. */
  random?: RandomSource | undefined;
  /** Per-request timeout of REST calls (discovery, health, catch-up): for the response headers, and again for a body that must be read whole. Default 10 000 ms. */
  restTimeoutMs?: number | undefined;
  /**
   * Defaults applied to every stream of this client, merged one level deep: an option a stream sets replaces the
   * default of that name whole, so a stream's `reconnect: { initialDelayMs: 500 }` drops the other fields of a default
   * `reconnect` (they fall back to {@link DEFAULT_RECONNECT_POLICY}), and a stream's hook replaces the default hook.
   * Every option but `cursor`, which belongs to one stream.
   */
  streamDefaults?: Omit<StreamOptions, 'cursor'> | undefined;
}

/**
 * The reconnect policy a stream uses unless `reconnect` says otherwise.
 *
 * @example
 * ```ts
 * client.user({ reconnect: { ...DEFAULT_RECONNECT_POLICY, maxAttempts: 10 } });
 * ```
 */
export const DEFAULT_RECONNECT_POLICY: Readonly<ReconnectPolicy> = Object.freeze({
  initialDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 60_000,
  minDelayMs: 100,
  jitter: 'full',
  maxAttempts: Infinity,
  maxElapsedMs: Infinity,
  resetAfterMs: 60_000,
});

/**
 * The catch-up budget a stream uses unless `catchUp` says otherwise.
 *
 * @example
 * ```ts
 * client.user({ catchUp: { ...DEFAULT_CATCH_UP_POLICY, maxPages: 50 } });
 * ```
 */
export const DEFAULT_CATCH_UP_POLICY: Readonly<CatchUpPolicy> = Object.freeze({ pageSize: 80, maxPages: 10 });

/**
 * The stream options' defaults, for the options that have a single value (`dedupeCapacity` is the
 * default of `dedupe.capacity`).
 *
 * @example
 * ```ts
 * console.log(DEFAULT_STREAM_OPTIONS.stallTimeoutMs); // 45000
 * ```
 */
export const DEFAULT_STREAM_OPTIONS = Object.freeze({
  validate: 'essentials' as ValidationMode,
  malformedEvents: 'report' as const,
  invalidUtf8: 'replace' as const,
  maxEventBytes: (2 ** 20) as 1_048_576, // 1 MiB; the power costs fewer bytes in the bundle
  stallTimeoutMs: 45_000,
  connectTimeoutMs: 30_000,
  dedupeCapacity: 4_096,
});

export const DEFAULT_REST_TIMEOUT_MS = 10_000;
