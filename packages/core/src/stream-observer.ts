import type { AnyTootstreamError } from './error-union.js';
import { TootstreamError } from './errors.js';
import { definedOnly } from './option-checks.js';
import type { StreamOptions } from './options.js';
import type { CloseReason, StreamHooks, StreamState, StreamStats } from './stream-hooks.js';

/**
 * Keeps a stream's counters and calls its hooks. A hook that throws (or rejects) is
 * reported to `onError` (or the console) and never disturbs the stream.
 * Errors travel through core as their base class; every one core raises is
 * one of {@link AnyTootstreamError}'s classes, the type the hooks receive.
 */
export interface StreamObserver {
  readonly stats: StreamStats;
  delivered(now: number): void;
  duplicate(): void;
  /** Liveness is recorded when the bytes arrive; the hook runs in stream order (`callHook('onHeartbeat', …)`). */
  heartbeatArrived(now: number): void;
  attemptStarted(attempt: number): void;
  opened(attempt: number, isReconnect: boolean, afterCatchUp?: boolean): void;
  retryScheduled(info: { attempt: number; delayMs: number; error: TootstreamError }): void;
  catchingUp(): void;
  sessionClosed(reason: CloseReason, error?: unknown): void;
  errorOccurred(error: TootstreamError): void;
  /** Calls a hook that only reports (no counter or state goes with it), if the user set it; one that throws goes to `onError`. */
  callHook<Name extends keyof StreamHooks>(name: Name, argument: Parameters<StreamHooks[Name]>[0]): void;
}

/** (Closures rather than a class: local names minify where `this.#field` reads cannot.) */
export const streamObserver = (hooks: Pick<StreamOptions, keyof StreamHooks | 'onError'>): StreamObserver => {
  const stats: StreamStats = {
    state: 'idle',
    reconnects: 0,
    lastEventAt: undefined,
    lastHeartbeatAt: undefined,
    eventsDelivered: 0,
    duplicatesDropped: 0,
  };

  const errorOccurred = (error: TootstreamError): void => {
    const onError = hooks.onError;
    // The error it was handling goes with it: it may be a catch-up failure (lost statuses) or another hook's bug.
    if (onError) callGuarded(() => onError(error as AnyTootstreamError), (hookError) => console.warn(`[tootstream] onError hook threw, handling ${error}:`, hookError));
    // `Name: message`: every error core reports has a message.
    else console.warn(`[tootstream] ${error}`);
  };

  /** Calls a hook if the user set it; one that throws goes to `onError`. */
  const callHook = <Name extends keyof StreamHooks>(name: Name, argument: Parameters<StreamHooks[Name]>[0]): void =>
    callGuarded(
      () => (hooks[name] as ((value: typeof argument) => unknown) | undefined)?.(argument),
      // Named, with what it threw: a log line of the message alone must say which hook broke and why. Only an Error's
      // message is read: String() of an object without a prototype would throw here, where nothing may.
      (cause) => errorOccurred(new TootstreamError('HOOK_FAILED', `${name} threw${cause instanceof Error ? `: ${cause.message}` : ''}`, { cause })),
    );

  const setState = (state: StreamState): void => {
    if (stats.state === state) return;
    stats.state = state;
    callHook('onStateChange', state);
  };

  return {
    stats,
    delivered(now) {
      stats.eventsDelivered++;
      stats.lastEventAt = now;
    },
    duplicate() {
      stats.duplicatesDropped++;
    },
    heartbeatArrived(now) {
      stats.lastHeartbeatAt = now;
    },
    attemptStarted(attempt) {
      setState(attempt > 1 || stats.state === 'reconnecting' ? 'reconnecting' : 'connecting');
      callHook('onConnecting', { attempt });
    },
    opened(attempt, isReconnect, afterCatchUp) {
      if (isReconnect) stats.reconnects++;
      setState('open');
      if (!afterCatchUp) callHook('onOpen', { attempt });
    },
    retryScheduled(info) {
      setState('reconnecting');
      callHook('onReconnecting', info as Parameters<StreamHooks['onReconnecting']>[0]);
    },
    catchingUp() {
      setState('catching-up');
    },
    sessionClosed(reason, error) {
      setState('closed');
      callHook('onClose', definedOnly({ reason, error }));
    },
    errorOccurred,
    callHook,
  };
};

/**
 * Runs a user's hook; `onFailure` gets what it throws, or what the promise it
 * returns rejects with: the types accept an async hook (a function returning a
 * promise is assignable to one returning void), and its rejection must not
 * become an unhandled rejection, which ends a Node process.
 */
const callGuarded = (call: () => unknown, onFailure: (cause: unknown) => void): void => {
  try {
    // Hooks run on state changes and heartbeats, never per event: a promise per call costs nothing that matters.
    Promise.resolve(call()).catch(onFailure);
  } catch (cause) {
    onFailure(cause);
  }
};
