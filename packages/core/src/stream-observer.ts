import type { AnyTootstreamError } from './error-union.js';
import { TootstreamError } from './errors.js';
import { definedOnly } from './option-checks.js';
import type { StreamOptions } from './options.js';
import type { CatchUpProgress, CloseReason, GapInfo, StreamHooks, StreamState, StreamStats } from './stream-hooks.js';

/**
 * The server ended the body cleanly (a token kill, a proxy timeout): a disconnect, never "done".
 *
 * @example
 * ```ts
 * client.user({ onReconnecting: ({ error }) => { if (error instanceof StreamEndedError) console.log('the server closed the stream; reconnecting'); } });
 * ```
 */
export class StreamEndedError extends TootstreamError {
  declare readonly code: 'STREAM_ENDED';

  constructor() {
    super('STREAM_ENDED', 'The server ended the stream');
    this.name = 'StreamEndedError';
  }
}

/**
 * Keeps a stream's counters and calls its hooks. A hook that throws (or rejects) is
 * reported to `onError` (or the console) and never disturbs the stream.
 * Errors travel through core as their base class; every one core raises is
 * one of {@link AnyTootstreamError}'s classes, the type the hooks receive.
 */
export class StreamObserver {
  readonly stats: StreamStats = {
    state: 'idle',
    reconnects: 0,
    lastEventAt: undefined,
    lastHeartbeatAt: undefined,
    eventsDelivered: 0,
    duplicatesDropped: 0,
  };
  readonly #hooks: Pick<StreamOptions, keyof StreamHooks | 'onError'>;

  constructor(hooks: Pick<StreamOptions, keyof StreamHooks | 'onError'>) {
    this.#hooks = hooks;
  }

  delivered(now: number): void {
    this.stats.eventsDelivered++;
    this.stats.lastEventAt = now;
  }

  duplicate(): void {
    this.stats.duplicatesDropped++;
  }

  /** Liveness is recorded when the bytes arrive; the hook runs in stream order ({@link heartbeat}). */
  heartbeatArrived(now: number): void {
    this.stats.lastHeartbeatAt = now;
  }

  heartbeat(comment: string): void {
    this.#emit('onHeartbeat', comment);
  }

  attemptStarted(attempt: number): void {
    this.#setState(attempt > 1 || this.stats.state === 'reconnecting' ? 'reconnecting' : 'connecting');
    this.#emit('onConnecting', { attempt });
  }

  opened(attempt: number, isReconnect: boolean, afterCatchUp?: boolean): void {
    if (isReconnect) this.stats.reconnects++;
    this.#setState('open');
    if (!afterCatchUp) this.#emit('onOpen', { attempt });
  }

  retryScheduled(info: { attempt: number; delayMs: number; error: TootstreamError }): void {
    this.#setState('reconnecting');
    this.#emit('onReconnecting', info as Parameters<StreamHooks['onReconnecting']>[0]);
  }

  stallDetected(timeoutMs: number): void {
    this.#emit('onStalled', { timeoutMs });
  }

  catchingUp(): void {
    this.#setState('catching-up');
  }

  catchUpProgress(progress: CatchUpProgress): void {
    this.#emit('onCatchUpProgress', progress);
  }

  gapFound(gap: Omit<GapInfo, 'error'> & { error?: TootstreamError }): void {
    this.#emit('onGap', gap as GapInfo);
  }

  sessionClosed(reason: CloseReason, error?: unknown): void {
    this.#setState('closed');
    this.#emit('onClose', definedOnly({ reason, error }));
  }

  errorOccurred(error: TootstreamError): void {
    const onError = this.#hooks.onError;
    if (onError) callGuarded(() => onError(error as AnyTootstreamError), (hookError) => console.warn('[tootstream] onError hook threw', hookError));
    else console.warn(`[tootstream] ${error.name}: ${error.message}`);
  }

  #setState(state: StreamState): void {
    if (this.stats.state === state) return;
    this.stats.state = state;
    this.#emit('onStateChange', state);
  }

  /** Calls a hook if the user set it; one that throws goes to `onError`. */
  #emit<Name extends keyof StreamHooks>(name: Name, argument: Parameters<StreamHooks[Name]>[0]): void {
    callGuarded(
      () => (this.#hooks[name] as ((value: typeof argument) => unknown) | undefined)?.(argument),
      (cause) => this.errorOccurred(new TootstreamError('HOOK_FAILED', 'A stream hook threw', { cause })),
    );
  }
}

/**
 * Runs a user's hook; `onFailure` gets what it throws, or what the promise it
 * returns rejects with: the types accept an async hook (a function returning a
 * promise is assignable to one returning void), and its rejection must not
 * become an unhandled rejection, which ends a Node process.
 */
function callGuarded(call: () => unknown, onFailure: (cause: unknown) => void): void {
  try {
    // Hooks run on state changes and heartbeats, never per event: a promise per call costs nothing that matters.
    Promise.resolve(call()).catch(onFailure);
  } catch (cause) {
    onFailure(cause);
  }
}
