import type { MastodonEvent, MastodonStream, StreamOptions } from '@tootstream/core';
import { dispatchEvent } from './dispatch.js';
import { toListenerError, toListenerErrorNow } from './error-mapping.js';
import { MastodonMalformedEventError } from './errors.js';
import type { StreamListener } from './stream-listener.js';
import type { ResolvedStreamOptions } from './stream-options.js';

/** How a run ended. `failed` means `onAbort(error)` has been called. */
export type RunOutcome = { kind: 'ended' } | { kind: 'aborted'; reason: unknown } | { kind: 'failed'; error: Error };

/** What a run needs: the listener, its options, and how to open the core stream. */
export interface RunSpec {
  listener: StreamListener;
  options: ResolvedStreamOptions;
  /** Makes the core stream with the options the run computed (called once, synchronously). */
  open(coreOptions: StreamOptions): MastodonStream;
  /** Work before the first connect (version gate, availability warning); awaited; a throw is fatal. */
  prepare?: () => Promise<void>;
  random: () => number;
  /** Pass `forStream` as `undefined` (a bare body fed to `handleStream` belongs to no known stream). */
  hideStreamLabel?: boolean;
}

const ABORTED: unique symbol = Symbol();
type Retry = { kind: 'retry' };
/** What an iteration decided; `fatal` still needs its `onAbort` call. */
type Verdict = RunOutcome | Retry | { kind: 'fatal'; error: unknown; retry?: boolean };
/** A verdict that cannot ask for a retry. */
type FinalVerdict = RunOutcome | { kind: 'fatal'; error: unknown; retry?: false };

/** The reason a run is stopped with when the user closes it. */
const closedError = () => new DOMException('The stream was closed', 'AbortError');

/**
 * One `stream*` call: pulls events from a core stream and delivers them to
 * the listener one at a time, applying the error policy of listener-port.md
 * §9. Transport, reconnect, stall watchdog and SSE parsing are core's; this
 * class only decides what reaches which handler and when the run stops.
 */
export class StreamRun {
  readonly stream: MastodonStream;
  /** True until `execute` has finished. */
  alive = true;
  private readonly spec: RunSpec;
  private readonly lifetime = new AbortController();
  private readonly detachSignal: () => void;
  private receiving = false;
  /** A handler error that must stop the run (blocking mode, or `stopOnHandlerError`). */
  private handlerFailure: { error: unknown } | undefined;
  /** Whether the current iteration delivered an event; a retry after progress starts its backoff over. */
  private progressed = false;
  /** Hooks core raises synchronously while parsing (heartbeats, reports, aborts before a reconnect), run in order. */
  private hookTail: Promise<void> = Promise.resolve();
  /** Hooks enqueued and not yet finished; with none, the per-event wait on `hookTail` is skipped. */
  private pendingHooks = 0;
  /** Resolvers of the waits `guard` is holding; one abort listener serves them all (EventTarget calls per event are costly). */
  private readonly guards = new Set<() => void>();

  /** Throws argument errors of `spec.open` synchronously, before anything runs. */
  constructor(spec: RunSpec) {
    this.spec = spec;
    const userSignal = spec.options.signal;
    const onUserAbort = () => this.stop(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort);
    this.detachSignal = () => userSignal?.removeEventListener('abort', onUserAbort);
    this.lifetime.signal.addEventListener('abort', () => this.guards.forEach((release) => release()));
    try {
      this.stream = spec.open(this.coreOptions());
    } catch (error) {
      this.detachSignal();
      // Only argument errors happen here, and those map without loading anything.
      throw toListenerErrorNow(error) ?? error;
    }
    if (userSignal?.aborted) this.stop(userSignal.reason);
  }

  get isReceiving(): boolean {
    return this.receiving && !this.lifetime.signal.aborted;
  }

  /** Aborts the connection (or the reconnect wait) at once; the loop ends right after. */
  stop(reason?: unknown): void {
    this.receiving = false;
    if (!this.lifetime.signal.aborted) this.lifetime.abort(reason ?? closedError());
  }

  /** Runs until the stream ends; never throws (the outcome says how it ended). */
  async execute(): Promise<RunOutcome> {
    const { prepare, options, random } = this.spec;
    try {
      if (prepare && (await this.guard(prepare())) === ABORTED) return await this.settle(this.stopped());
      for (let attempt = 1; ; attempt++) {
        // The iteration has released its connection by now, so onAbort never sees a half-open stream.
        this.progressed = false;
        const verdict = await this.settle(await this.iterate());
        if (verdict.kind !== 'retry') return verdict;
        if (this.progressed) attempt = 1;
        // Core reconnects by itself; only a malformed-event abort under reconnectAsync restarts here (rare, so loaded on demand).
        const { restartDelay, sleep } = await import('./restart.js');
        const wait = sleep(restartDelay(options.reconnect, attempt, random), this.lifetime.signal);
        if ((await this.guard(wait)) === ABORTED || this.lifetime.signal.aborted) return await this.settle(this.stopped());
      }
    } catch (error) {
      return this.settle({ kind: 'fatal', error: await toListenerError(error) });
    } finally {
      this.alive = this.receiving = false;
      this.detachSignal();
      // Releases the socket and any timer core still holds, whatever path we took out.
      this.lifetime.abort(closedError());
    }
  }

  /** One iteration of the core stream (core reconnects inside it; a new one is only needed after a malformed-event abort). */
  private async iterate(): Promise<Verdict> {
    const { listener, options, hideStreamLabel } = this.spec;
    const iterator = this.stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<MastodonEvent, undefined>;
        try {
          // Unguarded: core ends a pending next() itself when the run's signal aborts.
          next = await iterator.next();
        } catch (error) {
          return this.onStreamError(await toListenerError(error));
        }
        if (this.pendingHooks > 0) await this.guard(this.hookTail);
        if (this.lifetime.signal.aborted) return this.stopped();
        if (next.done) return { kind: 'ended' };
        let problem: MastodonMalformedEventError | undefined | typeof ABORTED;
        try {
          const delivered = dispatchEvent(listener, next.value, hideStreamLabel ? undefined : next.value.stream);
          // Synchronous handlers settle here; only a pending (async) handler needs the abortable wait.
          problem = delivered instanceof Promise ? await this.guard(delivered) : delivered;
        } catch (error) {
          if (options.handlerErrorsStop) return { kind: 'fatal', error };
          await this.report(error);
          continue;
        }
        if (problem === ABORTED || this.lifetime.signal.aborted) return this.stopped();
        if (problem === undefined) this.progressed = true;
        else if (options.malformedEvents === 'abort') return this.onStreamError(problem);
        else await this.report(problem);
      }
    } finally {
      this.receiving = false;
      await iterator.return?.().catch(() => {});
    }
  }

  /** A fatal error from core, or a malformed event under the `'abort'` policy. */
  private onStreamError(error: Error): Verdict {
    if (this.lifetime.signal.aborted) return this.stopped();
    // Mastodon.py reconnects after a malformed event with reconnect_async; core ended the iteration, so start a new one.
    return { kind: 'fatal', error, retry: error instanceof MastodonMalformedEventError && this.spec.options.reconnect !== false };
  }

  private stopped(): FinalVerdict {
    return this.handlerFailure ? { kind: 'fatal', ...this.handlerFailure } : { kind: 'aborted', reason: this.lifetime.signal.reason };
  }

  /** Turns a fatal verdict into `onAbort(err)` and then a failed outcome (or a retry, if the verdict allows one). */
  private settle(verdict: FinalVerdict): Promise<RunOutcome>;
  private settle(verdict: Verdict): Promise<RunOutcome | Retry>;
  private async settle(verdict: Verdict): Promise<RunOutcome | Retry> {
    if (verdict.kind !== 'fatal') return verdict;
    const error = verdict.error instanceof Error ? verdict.error : new Error(String(verdict.error));
    await this.hookTail;
    await this.callAbortHook(error);
    return verdict.retry ? { kind: 'retry' } : { kind: 'failed', error };
  }

  private async callAbortHook(error: Error): Promise<void> {
    try {
      await this.spec.listener.onAbort(error);
    } catch (hookError) {
      await this.report(hookError);
    }
  }

  /** Hands a non-fatal problem to `onError`; an `onError` that throws falls back to the console, never to the stream. */
  private async report(error: unknown): Promise<void> {
    try {
      await this.spec.listener.onError(error instanceof Error ? error : new Error(String(error)));
    } catch (hookError) {
      console.warn('[tootstream/listener] onError threw', hookError);
    }
  }

  /**
   * Runs a listener hook that core raised synchronously, after the ones before
   * it. A handler (`isHandler`) is skipped once the run is stopped, and its
   * error follows the handler-error policy; the run's own hooks never throw.
   */
  private enqueueHook(hook: () => unknown, isHandler?: boolean): void {
    this.pendingHooks++;
    this.hookTail = this.hookTail.then(async () => {
      try {
        if (!(isHandler && this.lifetime.signal.aborted)) await hook();
      } catch (error) {
        if (!this.spec.options.handlerErrorsStop) await this.report(error);
        else {
          this.handlerFailure ??= { error };
          this.stop();
        }
      } finally {
        this.pendingHooks--;
      }
    });
  }

  private coreOptions(): StreamOptions {
    const { options, listener } = this.spec;
    return {
      signal: this.lifetime.signal,
      validate: options.validate,
      malformedEvents: options.malformedEvents === 'abort' ? 'throw' : 'report',
      // Mastodon.py decodes strictly: a broken UTF-8 sequence is a malformed event, not U+FFFD.
      invalidUtf8: 'report',
      reconnect: options.reconnect,
      stallTimeoutMs: options.timeoutMs,
      // Mastodon.py has neither; events missed while disconnected are lost (core's iterator offers catch-up).
      catchUp: false,
      dedupe: false,
      onError: (error) => this.enqueueHook(async () => this.report(await toListenerError(error))),
      onHeartbeat: () => this.enqueueHook(() => listener.handleHeartbeat(), true),
      onStateChange: (state) => {
        this.receiving = state === 'open';
      },
      onReconnecting: ({ error }) => {
        // A clean end is not an abort (as in Mastodon.py); every other interruption is reported before the retry.
        if (error.code !== 'STREAM_ENDED') this.enqueueHook(async () => this.callAbortHook(await toListenerError(error)));
      },
    };
  }

  /** Settles with `promise`, or with ABORTED as soon as the run is stopped (the promise is then left to settle unobserved). */
  private guard<T>(promise: PromiseLike<T>): Promise<T | typeof ABORTED> {
    return new Promise((resolve, reject) => {
      if (this.lifetime.signal.aborted) return resolve(ABORTED);
      const release = () => resolve(ABORTED);
      this.guards.add(release);
      Promise.resolve(promise)
        .then(resolve, reject)
        .finally(() => this.guards.delete(release));
    });
  }
}

/**
 * Blocking mode: resolves on a clean end, rejects with the error (after
 * `onAbort`) or with the abort reason.
 */
export async function runBlocking(run: StreamRun): Promise<void> {
  const outcome = await run.execute();
  if (outcome.kind === 'failed') throw outcome.error;
  if (outcome.kind === 'aborted') throw outcome.reason;
}
