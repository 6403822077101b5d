import type { ValidationMode } from '@tootstream/core';

/**
 * Every default of the listener in one place. The first four are Mastodon.py's
 * own defaults (`run_async=False`, `timeout=300`, `reconnect_async=False`,
 * `reconnect_async_wait_sec=5`); the rest are our additions.
 *
 * @example
 * ```ts
 * mastodon.streamUser(listener, { ...DEFAULT_STREAM_OPTIONS, runAsync: true }); // spell the defaults out
 * ```
 */
export const DEFAULT_STREAM_OPTIONS = Object.freeze({
  /** `false`: the call returns a Promise that settles when the stream ends. */
  runAsync: false,
  /** Seconds of silence (no byte at all, heartbeats included) before the connection counts as dead, the wait for the response headers included; 45 s once the connection has sent a heartbeat. 0 disables. */
  timeout: 300,
  /** Async mode only: reconnect (with backoff) after drops, clean ends and transient connect failures. */
  reconnectAsync: false,
  /** Base of the reconnect delay in seconds: every wait is at least this long, jittered up to twice it, growing after repeated failures. */
  reconnectAsyncWaitSec: 5,
  /** Async mode: a handler error goes to `onError` and streaming continues; `true` calls `onAbort(err)` and stops instead. */
  stopOnHandlerError: false,
  /** With `reconnectAsync`: fetch what a reconnect missed over REST, for the handlers, each status or notification once. */
  catchUp: false,
  /** `'report'`: malformed events go to `onError`, the stream continues; `'abort'`: Mastodon.py's behaviour (`onAbort`, then end or reconnect). */
  malformedEvents: 'report' as 'report' | 'abort',
  /** Payload checking of core. `'off'` as in Mastodon.py: handlers get whatever JSON the server sent. */
  validate: 'off' as ValidationMode,
});

/**
 * Client defaults (Mastodon.py: `request_timeout=300`, `version_check_mode="none"`).
 *
 * @example
 * ```ts
 * new Mastodon({ apiBaseUrl, accessToken, requestTimeout: DEFAULT_CLIENT_OPTIONS.requestTimeout / 10 });
 * ```
 */
export const DEFAULT_CLIENT_OPTIONS = Object.freeze({
  /** Seconds a REST call (discovery, health, instance) and the wait for a stream's response headers (unless its `timeout` is shorter) may take. */
  requestTimeout: 300,
  /** Mastodon.py's `version_check_mode`; `'none'` checks nothing. */
  versionCheckMode: 'none' as 'none' | 'created' | 'changed',
});

/**
 * Shape of the reconnect backoff derived from `reconnectAsyncWaitSec`. Every
 * wait lies in [wait, bound]; the bound starts at `firstBoundFactor × wait` and
 * doubles per consecutive failure up to `maxDelayMs` (or the first bound if that
 * is larger). A connection that delivered an event or a heartbeat (not the opening `:)`), or stayed up for
 * `resetAfterMs`, starts it over.
 *
 * @example
 * ```ts
 * // reconnectAsyncWaitSec: 5 → first wait in [5 s, 10 s], then [5 s, 20 s], [5 s, 40 s], [5 s, 60 s] …
 * reconnectPolicyFor(5).maxDelayMs === RECONNECT_BACKOFF.maxDelayMs;
 * ```
 */
export const RECONNECT_BACKOFF = Object.freeze({
  firstBoundFactor: 2,
  factor: 2,
  maxDelayMs: 60_000,
  resetAfterMs: 60_000,
  /** Floor for `reconnectAsyncWaitSec: 0`, so a misconfiguration can never become a hot loop. */
  minWaitMs: 50,
});
