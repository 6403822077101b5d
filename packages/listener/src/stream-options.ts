import { DEFAULT_STREAM_OPTIONS as CORE_DEFAULTS, type ReconnectPolicy, type StreamOptions, type ValidationMode } from '@tootstream/core';
import { DEFAULT_STREAM_OPTIONS, RECONNECT_BACKOFF } from './defaults.js';
import { MastodonIllegalArgumentError } from './errors.js';
import { RunKind } from './run-types.js';

/** Options every `stream*` method takes. Defaults: {@link DEFAULT_STREAM_OPTIONS}. */
export interface CommonStreamOptions {
  /**
   * Seconds of silence before the connection counts as dead (Mastodon.py `timeout`), the wait for the
   * response headers included; once the connection has sent a heartbeat, 45 s of silence is enough
   * (if `timeout` is longer). 0 disables both, and so does `null` (Python's `timeout=None`). Default 300.
   */
  timeout?: number | null | undefined;
  /** Reconnect after drops, clean ends and transient connect errors (Mastodon.py `reconnect_async`). Async mode only. Default false. */
  reconnectAsync?: boolean | undefined;
  /** Base of the reconnect delay in seconds (Mastodon.py `reconnect_async_wait_sec`); jittered in [wait, 2 × wait], growing on repeated failures. Default 5. */
  reconnectAsyncWaitSec?: number | undefined;
  /** Async mode: stop (after `onAbort(err)`) when a handler throws, instead of reporting to `onError`. Default false. */
  stopOnHandlerError?: boolean | undefined;
  /**
   * With `reconnectAsync`: after a reconnect, fetch what the stream missed meanwhile over REST and hand it to the handlers
   * first, each status or notification once (core's catch-up and dedupe; what REST cannot give back, such as deletes,
   * reaches `streamDefaults.onGap`). Not in Mastodon.py, which loses those events. Default false.
   */
  catchUp?: boolean | undefined;
  /** `'report'` (default): malformed events go to `onError`; `'abort'`: `onAbort(err)`, then end (or reconnect with `reconnectAsync`). */
  malformedEvents?: 'report' | 'abort' | undefined;
  /** Payload validation by core. Default `'off'` (handlers get the JSON as sent, like Mastodon.py). */
  validate?: ValidationMode | undefined;
  /** Aborting it stops the stream like `close()`. */
  signal?: AbortSignal | undefined;
}

/**
 * Blocking mode: the call returns a Promise that settles when the stream ends. `reconnectAsync` and
 * `stopOnHandlerError` do nothing here (Mastodon.py ignores `reconnect_async` without `run_async` too), so
 * `true` is a type error rather than a silent no-op.
 */
export interface BlockingStreamOptions extends CommonStreamOptions {
  runAsync?: false | undefined;
  reconnectAsync?: false | undefined;
  stopOnHandlerError?: false | undefined;
  catchUp?: false | undefined;
}

/** Async mode: the call returns a {@link StreamHandle} at once. */
export interface AsyncStreamOptions extends CommonStreamOptions {
  runAsync: true;
}

/** Options of a `stream*` call, in either mode. */
export type StreamCallOptions = BlockingStreamOptions | AsyncStreamOptions;

/** Core's stream options as a call settles them; the run adds its own signal and hooks. */
export type SettledCoreOptions = Required<Pick<StreamOptions, 'validate' | 'invalidUtf8' | 'stallTimeoutBeforeHeartbeatMs' | 'stallTimeoutMs' | 'catchUp' | 'dedupe'>> & {
  /** `'throw'` for the listener's `'abort'`. */
  malformedEvents: 'throw' | 'report';
  /** The policy {@link reconnectPolicyFor} made, or `false`. */
  reconnect: false | Partial<ReconnectPolicy>;
};

/** The options after defaults, as the runner uses them. */
export interface ResolvedStreamOptions {
  coreOptions: SettledCoreOptions;
  /**
   * Whether a handler error stops the stream, and how (listener-port.md §9.1): `Failed` in
   * blocking mode (the call rejects with the very value thrown, no `onAbort`), `Fatal` with
   * `stopOnHandlerError` in async mode (`onAbort(err)`, then the handle stops), else `false`.
   */
  handlerErrorsStop: false | RunKind.Failed | RunKind.Fatal;
  /** The caller's `signal`. */
  userSignal: AbortSignal | undefined;
}

/**
 * Applies the defaults and checks the numbers (before any request is made). `options` has no default of its own:
 * both callers pass an object (a stream method's `= {}`, handleStream's copy). `streamFlags`: the stream's own
 * options besides (`streamPublic`'s `local`, …), which the stream method reads.
 */
export const resolveStreamOptions = (options: CommonStreamOptions & { runAsync?: boolean | undefined }, streamFlags: string[] = []): ResolvedStreamOptions => {
  // A Python habit, `streamUser(listener, true)` for run_async, would otherwise spread to no options at all and quietly block.
  if (typeof options != 'object') throw new MastodonIllegalArgumentError('options must be an object');
  // What a call takes: its options with a default, the signal, and its stream's own.
  refuseOtherOptions(options, [...Object.keys(DEFAULT_STREAM_OPTIONS), 'signal', ...streamFlags]);
  // `??` per option, as a loop: an option given as undefined (or null) takes its default too.
  // Except `timeout: null`: Python's `timeout=None` is no read timeout, where the default would end a quiet stream.
  const merged: Record<string, unknown> = { ...options, ...(options.timeout === null && { timeout: 0 }) };
  for (const [key, value] of Object.entries(DEFAULT_STREAM_OPTIONS)) merged[key] ??= value;
  // (`signal` has no default: it is the caller's, or nothing.)
  const { timeout, reconnectAsyncWaitSec: wait, runAsync, reconnectAsync, stopOnHandlerError, catchUp, malformedEvents, validate, signal } = merged as {
    [Name in Exclude<keyof typeof options, 'signal'>]-?: NonNullable<(typeof options)[Name]>;
  } & Pick<typeof options, 'signal'>;
  checkSeconds('timeout', timeout, '>= 0', typeof timeout == 'number' && timeout >= 0);
  // Duck-typed, so a signal from another realm (a test environment's, a polyfill's) passes; both methods are used.
  if (signal && (typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function')) throw new MastodonIllegalArgumentError('signal must be an AbortSignal');
  checkSeconds('reconnectAsyncWaitSec', wait, 'finite and >= 0', Number.isFinite(wait) && wait >= 0);
  // It backfills what a reconnect missed: without one it would do nothing, and a port would think it had no gaps.
  if (catchUp && !(runAsync && reconnectAsync)) throw new MastodonIllegalArgumentError('catchUp needs runAsync and reconnectAsync');
  // Anything else (core's 'throw') would silently mean 'report'. `validate` is core's to check.
  if (!['report', 'abort'].includes(malformedEvents)) throw new MastodonIllegalArgumentError(`malformedEvents must be report or abort (got ${shown(malformedEvents)})`);
  // At least 1 ms: a tiny timeout rounded to 0 would turn it off. Infinity is none, as 0 is.
  const timeoutMs = timeout < Infinity ? timeout && Math.max(1, Math.round(timeout * 1000)) : 0;
  return {
    coreOptions: {
      validate,
      malformedEvents: malformedEvents === 'abort' ? 'throw' : 'report',
      // Mastodon.py decodes strictly: a broken UTF-8 sequence is a malformed event, not U+FFFD.
      invalidUtf8: 'report',
      // As in Mastodon.py, reconnecting is a feature of async mode; a blocking call ends with the connection.
      reconnect: runAsync && reconnectAsync ? reconnectPolicyFor(wait) : false,
      // listener-port.md §9.2: `timeout` is the longest silence, but once a connection has sent a heartbeat
      // (Mastodon sends one every 15 s), core's default limit of three missed ones applies if shorter.
      stallTimeoutBeforeHeartbeatMs: timeoutMs,
      stallTimeoutMs: timeoutMs && Math.min(timeoutMs, CORE_DEFAULTS.stallTimeoutMs),
      // Mastodon.py has neither, and loses the events missed while disconnected: opt-in. (Catch-up needs dedupe for its seam.)
      catchUp: catchUp && {},
      dedupe: catchUp && {},
    },
    handlerErrorsStop: runAsync ? stopOnHandlerError && RunKind.Fatal : RunKind.Failed,
    userSignal: signal,
  };
};

/**
 * Refuses Mastodon.py's snake_case keyword names, and any name outside `known` when given: an unknown
 * option is otherwise ignored, so a ported `run_async: true` or a misspelt `runAsnyc: true` made a blocking call that
 * never returned, and `request_timeout` silently kept the default. A stream call and `streamDefaults` (named in
 * `where`) pass `known`; the client's other options pass through to core's createClient, which refuses what it lacks.
 */
export const refuseOtherOptions = (options: object | null | undefined, known?: string[], where = 'a stream call'): void => {
  for (const key of Object.keys(options ?? {})) {
    if (key.includes('_')) throw new MastodonIllegalArgumentError(`${key} is Mastodon.py's name; here it is ${key.replace(/_+(.)/g, (_, next: string) => next.toUpperCase())}`);
    if (known && !known.includes(key)) throw new MastodonIllegalArgumentError(`${key} is no option of ${where}`);
  }
};

/** Throws the argument error for a bad number of seconds; `ok` is the check (which NaN fails), `rule` says it in words. */
export const checkSeconds = (name: string, value: number, rule: string, ok: boolean): void => {
  if (!ok) throw new MastodonIllegalArgumentError(`${name} must be a number of seconds ${rule} (got ${shown(value)})`);
};

/**
 * A value as an argument error shows it: text quoted (`"300"` given for 300 must not read as valid), an object or a
 * function by its type (String() of an object without a prototype throws, and of a function is its source).
 */
export const shown = (value: unknown): string =>
  typeof value == 'string' ? `"${value}"` : value !== null && (typeof value == 'object' || typeof value == 'function') ? typeof value : String(value);

/**
 * Core's reconnect policy for a Mastodon.py wait: full jitter between the
 * wait and a bound that starts at twice the wait and doubles per consecutive
 * failure. The wait is the floor of every delay, after failed connects and
 * after drops and clean ends alike, so there is never an immediate retry.
 *
 * @example
 * ```ts
 * reconnectPolicyFor(5); // { minDelayMs: 5000, initialDelayMs: 10000, factor: 2, maxDelayMs: 60000, ... }
 * ```
 */
export const reconnectPolicyFor = (waitSec: number): Partial<ReconnectPolicy> => {
  const waitMs = Math.max(RECONNECT_BACKOFF.minWaitMs, Math.round(waitSec * 1000));
  const initialDelayMs = waitMs * RECONNECT_BACKOFF.firstBoundFactor;
  return {
    minDelayMs: waitMs,
    initialDelayMs,
    factor: RECONNECT_BACKOFF.factor,
    maxDelayMs: Math.max(RECONNECT_BACKOFF.maxDelayMs, initialDelayMs),
    jitter: 'full',
    maxAttempts: Infinity,
    maxElapsedMs: Infinity,
    resetAfterMs: RECONNECT_BACKOFF.resetAfterMs,
  };
};
