import { type MastodonEvent, type MastodonStream, type ReconnectPolicy } from '@tootstream/core';
import { loadChunk } from './chunk-loader.js';
import { dispatchEvent, type EventProblem } from './dispatch.js';
import { asError, toListenerError, toListenerErrorNow } from './error-mapping.js';
import { MastodonMalformedEventError } from './errors.js';
import { RunKind, type BackgroundCheck, type RunOutcome, type RunSpec, type StreamRun } from './run-types.js';

const ABORTED: unique symbol = Symbol();
type Retry = { runKind: RunKind.Retry };
/** What an iteration decided; `Fatal` still needs its `onAbort` call. */
type Verdict = RunOutcome | Retry | { runKind: RunKind.Fatal; thrown: unknown; mayRestart?: boolean };
/** A verdict that cannot ask for a retry. */
type FinalVerdict = RunOutcome | { runKind: RunKind.Fatal; thrown: unknown; mayRestart?: false };

/** The reason a run is stopped with when the user closes it. */
const closedError = () => new DOMException('The stream was closed', 'AbortError');

/**
 * Starts one `stream*` call: pulls events from a core stream and delivers them
 * to the listener one at a time, applying the error policy of listener-port.md
 * §9. Transport, reconnect, the stall watchdogs and SSE parsing are core's;
 * this only decides what reaches which handler and when the run stops. Throws
 * argument errors of `spec.openCoreStream` synchronously, before anything runs.
 * (Closures rather than a class: every browser that streams loads this, and
 * local names minify where property names cannot.)
 */
export const startRun = (spec: RunSpec): StreamRun => {
  const { runListener: listener, runOptions: options } = spec;
  const lifetime = new AbortController();
  const { signal } = lifetime;
  const { coreOptions, userSignal } = options;
  /** Resolvers of the waits `guard` is holding; one abort listener serves them all (EventTarget calls per event are costly). */
  const guards = new Set<() => void>();
  let alive = true;
  /** Whether the current iteration delivered an event; a retry after progress starts its backoff over. */
  let progressed = false;
  /** Hooks core raises synchronously while parsing (heartbeats, reports, aborts before a reconnect), run in order. */
  let hookTail: Promise<void> = Promise.resolve();
  /** Hooks enqueued and not yet finished; with none, the per-event wait on `hookTail` is skipped. */
  let pendingHooks = 0;
  /** A handler error that must stop the run (blocking mode, or `stopOnHandlerError`), as the verdict it makes. */
  let handlerFailure: { runKind: RunKind.Failed | RunKind.Fatal; thrown: unknown } | undefined;
  /** What `runChecks` left for the background, before the first connect. */
  let prepare: BackgroundCheck | undefined;

  /**
   * Whether close() (or the user's signal) has stopped the run. The run's other stop, a handler's error under
   * stopOnHandlerError, still waits for its last hooks and its onAbort, until close() comes.
   */
  let stoppedFromOutside = false;
  const releaseGuards = () => guards.forEach((release) => release());
  const stop = (reason?: unknown) => {
    stoppedFromOutside = true;
    // No-op on a run that is stopped already (the reason stays the first one); if it stopped itself, settle() may be
    // waiting for its onAbort, and this ends that wait too.
    lifetime.abort(reason ?? closedError());
    releaseGuards();
  };
  const onUserAbort = () => stop(userSignal?.reason);
  /** Ends the run for good: nothing is left listening on the user's signal, and the socket and core's timers are released. */
  const finish = () => {
    alive = false;
    userSignal?.removeEventListener('abort', onUserAbort);
    lifetime.abort(closedError());
  };

  /** Hands a non-fatal problem to `onError`; an `onError` that throws falls back to the console, never to the stream. */
  const report = async (error: unknown) => {
    try {
      await listener.onError(asError(error));
    } catch (hookError) {
      console.warn('[tootstream/listener] onError threw', hookError);
    }
  };

  const callAbortHook = async (error: Error, willReconnect = false) => {
    try {
      await listener.onAbort(error, willReconnect);
    } catch (hookError) {
      await report(hookError);
    }
  };

  /**
   * Runs a listener hook that core raised synchronously, after the ones before
   * it, with `error` mapped to our classes first if one is given. None starts
   * once the run is stopped: after close() (or the user's signal) nothing may
   * reach the listener, not even an onAbort queued behind a slow handler, and
   * a fatal error's onAbort is settle()'s, not the queue's. A handler's error
   * follows the handler-error policy; the run's own hooks never throw.
   */
  const enqueueHook = (hook: (error: Error) => unknown, error?: unknown) => {
    pendingHooks++;
    // Started now, so the mapping (which may load a chunk) is ready by the hook's turn.
    const mapped = error === undefined ? undefined : toListenerError(error);
    hookTail = hookTail.then(async () => {
      try {
        const argument = await mapped;
        // Checked after that wait too: close() may have come meanwhile.
        if (!signal.aborted) await hook(argument as Error);
      } catch (hookError) {
        // A handler that fails after close() has nobody left to tell.
        if (signal.aborted) return;
        if (!options.handlerErrorsStop) await report(hookError);
        else {
          handlerFailure ??= { runKind: options.handlerErrorsStop, thrown: hookError };
          // Not stop(): that is the outside's, and would cut short the wait for this run's onAbort.
          lifetime.abort(closedError());
        }
      } finally {
        pendingHooks--;
      }
    });
  };

  /**
   * Settles with `promise`, or with ABORTED as soon as the run is stopped (at once if close() has come; a run that
   * stopped itself waits until close()); the promise's own settling is still observed, so a late rejection is never
   * unhandled.
   */
  const guard = <T>(promise: T | PromiseLike<T>) =>
    new Promise<T | typeof ABORTED>((resolve, reject) => {
      const release = () => resolve(ABORTED);
      guards.add(release);
      Promise.resolve(promise)
        .then(resolve, reject)
        .finally(() => guards.delete(release));
      if (stoppedFromOutside) release();
    });

  // A handler's error in blocking mode is `Failed` at once: the call rejects with it, and onAbort is not called (§9.1, §9.3).
  const stopped = (): FinalVerdict => handlerFailure ?? { runKind: RunKind.Aborted, thrown: signal.reason };

  /** A fatal error from core, or a malformed event under the `'abort'` policy. */
  const onStreamError = (error: Error): Verdict =>
    signal.aborted
      ? stopped()
      : // Mastodon.py reconnects after a malformed event with reconnect_async; core ended the iteration, so start a new one.
        { runKind: RunKind.Fatal, thrown: error, mayRestart: error instanceof MastodonMalformedEventError && coreOptions.reconnect !== false };

  /** Turns a fatal verdict into `onAbort(err)` and then a failed outcome (or a retry, if the verdict allows one). */
  function settle(verdict: FinalVerdict): Promise<RunOutcome>;
  function settle(verdict: Verdict): Promise<RunOutcome | Retry>;
  async function settle(verdict: Verdict): Promise<RunOutcome | Retry> {
    if (verdict.runKind !== RunKind.Fatal) return verdict;
    const error = asError(verdict.thrown);
    // The hooks queued before the error run first, then onAbort. close() ends these waits, as it ends every wait on a
    // handler (one that never settles would hold the run, and close(), forever); if it comes before onAbort, onAbort is
    // not called. A run the listener stopped itself (a handler's error under stopOnHandlerError) waits them out until
    // then: what is left of the queue skips itself, and its onAbort is the last handler call. A handler's error during
    // the wait stops the run too, and that error is the one onAbort gets. close() may also land after the hooks
    // settled and before this resumes (a microtask later), so it is asked again.
    if ((await guard(hookTail)) === ABORTED || stoppedFromOutside) return stoppedFromOutside ? { runKind: RunKind.Aborted, thrown: signal.reason } : settle(stopped());
    await guard(callAbortHook(error, verdict.mayRestart));
    return verdict.mayRestart ? { runKind: RunKind.Retry } : { runKind: RunKind.Failed, thrown: error };
  }

  /** One iteration of the core stream (core reconnects inside it; a new one is only needed after a malformed-event abort). */
  const iterate = async (): Promise<Verdict> => {
    const iterator = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<MastodonEvent, undefined>;
        try {
          // Unguarded: core ends a pending next() itself when the run's signal aborts.
          next = await iterator.next();
        } catch (error) {
          return onStreamError(await toListenerError(error));
        }
        if (pendingHooks > 0) await guard(hookTail);
        if (signal.aborted) return stopped();
        if (next.done) return { runKind: RunKind.Ended };
        let problem: EventProblem | undefined | typeof ABORTED;
        try {
          const delivered = dispatchEvent(listener, next.value, spec.hideStreamLabel ? undefined : next.value.stream, signal);
          // Synchronous handlers settle here; only a pending (async) handler needs the abortable wait.
          problem = delivered instanceof Promise ? await guard(delivered) : delivered;
        } catch (error) {
          // A malformed event a handler raised (CallbackStreamListener's 'received bad update', §8) takes the malformed-event policy below (§9.1, §9.3).
          if (error instanceof MastodonMalformedEventError) problem = error;
          else if (options.handlerErrorsStop) return { runKind: options.handlerErrorsStop, thrown: error };
          else {
            // Guarded as every wait on a handler is: an onError that awaits close() would otherwise wait for itself.
            await guard(report(error));
            continue;
          }
        }
        // ABORTED comes only from a stopped run, so this catches it too.
        if (signal.aborted) return stopped();
        if (problem === undefined) progressed = true;
        else if (coreOptions.malformedEvents === 'throw') return onStreamError(problem as EventProblem);
        else await guard(report(problem));
      }
    } finally {
      // Core closes the session at once (its state is 'closed' before this awaits), so `receiving` reads false from here.
      await iterator.return?.().catch(() => {});
    }
  };

  const runChecks = async () => {
    try {
      // ABORTED only with the signal aborted, and then execute() never runs.
      prepare = (await guard(spec.instanceChecks?.(signal))) as BackgroundCheck | undefined;
      if (signal.aborted) throw signal.reason;
    } catch (error) {
      finish();
      throw error;
    }
  };

  const execute = async (): Promise<RunOutcome> => {
    try {
      // A wait cut short by the run's stop (ABORTED) ends with the signal aborted, as does a stop that came just after it.
      if (prepare) await guard(prepare(signal));
      for (let attempt = 1; ; attempt++) {
        // Asked before every iteration: after the background check, and after each restart's wait.
        if (signal.aborted) return await settle(stopped());
        // The iteration has released its connection by now, so onAbort never sees a half-open stream.
        progressed = false;
        const verdict = await settle(await iterate());
        if (verdict.runKind !== RunKind.Retry) return verdict;
        if (progressed) attempt = 1;
        // Core reconnects by itself; only a malformed-event abort under reconnectAsync restarts here (rare, and the
        // server just answered, so the chunk can load). A retry verdict implies reconnectAsync, so the policy is there.
        await guard((await loadChunk(import('./restart.js'))).waitBeforeRestart(coreOptions.reconnect as Partial<ReconnectPolicy>, attempt, spec.backoffSources, signal));
      }
    } catch (error) {
      // Awaited here: `finally` stops the run, and a settle() still waiting then would skip onAbort.
      return await settle({ runKind: RunKind.Fatal, thrown: await toListenerError(error) });
    } finally {
      // Whatever path we took out.
      finish();
    }
  };

  userSignal?.addEventListener('abort', onUserAbort);
  signal.addEventListener('abort', releaseGuards);
  let stream: MastodonStream;
  try {
    stream = spec.openCoreStream({
      ...coreOptions,
      signal,
      onError: (error) => enqueueHook(report, error),
      onHeartbeat: () => enqueueHook(() => listener.handleHeartbeat()),
      onReconnecting: ({ error }) => {
        // A clean end is not an abort (as in Mastodon.py); every other interruption is reported before the retry.
        if (error.code !== 'STREAM_ENDED') enqueueHook((mapped) => callAbortHook(mapped, true), error);
      },
    });
  } catch (error) {
    finish();
    // Only argument errors happen here, and those map without loading anything.
    throw toListenerErrorNow(error) ?? error;
  }
  if (userSignal?.aborted) onUserAbort();

  return {
    coreStream: stream,
    runChecks,
    execute,
    stopRun: stop,
    alive: () => alive,
    // Core's own record of the connection; once the run is stopped, false whatever core says.
    receiving: () => stream.stats.state === 'open' && !signal.aborted,
  };
};

/**
 * Blocking mode: resolves on a clean end, rejects with the error (after
 * `onAbort`, unless a handler threw it) or with the abort reason.
 */
export const runBlocking = async (run: StreamRun): Promise<void> => {
  const outcome = await run.execute();
  if (outcome.runKind !== RunKind.Ended) throw outcome.thrown;
};
