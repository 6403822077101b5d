import { TootstreamError } from './errors.js';
import type { MastodonEvent } from './events.js';
import type { CatchUpProgress, CloseReason, GapInfo, StreamHooks, StreamState, StreamStats } from './stream-hooks.js';

/** The server ended the body cleanly (a token kill, a proxy timeout): a disconnect, never "done". */
export class StreamEndedError extends TootstreamError {
  constructor() {
    super('STREAM_ENDED', 'The server ended the stream');
    this.name = 'StreamEndedError';
  }
}

/**
 * Keeps a stream's counters and calls its hooks. A hook that throws is
 * reported to `onError` (or the console) and never disturbs the stream.
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
  readonly #hooks: Partial<StreamHooks>;
  readonly #onError: ((error: TootstreamError) => void) | undefined;

  constructor(hooks: Partial<StreamHooks>, onError: ((error: TootstreamError) => void) | undefined) {
    this.#hooks = hooks;
    this.#onError = onError;
  }

  delivered(_event: MastodonEvent, now: number): void {
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
    if (this.#hooks.onHeartbeat) this.#call(() => this.#hooks.onHeartbeat?.(comment));
  }

  connecting(attempt: number): void {
    this.#setState(attempt > 1 || this.stats.state === 'reconnecting' ? 'reconnecting' : 'connecting');
    this.#call(() => this.#hooks.onConnecting?.({ attempt }));
  }

  opened(attempt: number, isReconnect: boolean, afterCatchUp = false): void {
    if (isReconnect) this.stats.reconnects++;
    this.#setState('open');
    if (!afterCatchUp) this.#call(() => this.#hooks.onOpen?.({ attempt }));
  }

  reconnecting(info: { attempt: number; delayMs: number; error: TootstreamError }): void {
    this.#setState('reconnecting');
    this.#call(() => this.#hooks.onReconnecting?.(info));
  }

  stalled(timeoutMs: number): void {
    this.#call(() => this.#hooks.onStalled?.({ timeoutMs }));
  }

  catchingUp(): void {
    this.#setState('catching-up');
  }

  catchUpProgress(progress: CatchUpProgress): void {
    this.#call(() => this.#hooks.onCatchUpProgress?.(progress));
  }

  gap(gap: GapInfo): void {
    this.#call(() => this.#hooks.onGap?.(gap));
  }

  closed(reason: CloseReason, error?: unknown): void {
    this.#setState('closed');
    this.#call(() => this.#hooks.onClose?.(error === undefined ? { reason } : { reason, error }));
  }

  error(error: TootstreamError): void {
    if (this.#onError) {
      try {
        this.#onError(error);
      } catch (hookError) {
        console.warn('[tootstream] onError hook threw', hookError);
      }
    } else {
      console.warn(`[tootstream] ${error.name}: ${error.message}`);
    }
  }

  #setState(state: StreamState): void {
    if (this.stats.state === state) return;
    this.stats.state = state;
    this.#call(() => this.#hooks.onStateChange?.(state));
  }

  #call(invoke: () => void): void {
    try {
      invoke();
    } catch (cause) {
      this.error(new TootstreamError('HOOK_FAILED', 'A stream hook threw', { cause }));
    }
  }
}
