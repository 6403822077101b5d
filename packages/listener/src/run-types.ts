import type { ClientOptions, MastodonStream, StreamOptions } from '@tootstream/core';
import type { StreamListener } from './stream-listener.js';
import type { ResolvedStreamOptions } from './stream-options.js';

// The contract between a `stream*` call (or handleStream) and the run loop of stream-run.ts.

/**
 * The kinds of {@link RunOutcome} and of the run loop's own verdicts. Numbers rather than names:
 * the run loop ships to every browser that streams, and the bundler inlines an enum's members as
 * numbers where names would be strings. They start at 1 so that every kind is truthy
 * (`handlerErrorsStop` is `false` or a kind).
 */
export enum RunKind {
  Ended = 1,
  Aborted,
  Failed,
  Fatal,
  Retry,
}

/**
 * How a run ended, and what a blocking call then rejects with (`thrown`): the abort reason, or the error.
 * `Failed` means `onAbort(error)` has been called, except for a handler's error in blocking mode (§9.1):
 * that is the very value the handler threw, which need not be an Error. (The field names are the build's
 * to shorten, as the run's other internal names are: see LISTENER_INTERNAL_PROPERTIES.)
 */
export type RunOutcome = { runKind: RunKind.Ended } | { runKind: RunKind.Aborted | RunKind.Failed; thrown: unknown };

/** Work {@link RunSpec.instanceChecks} leaves for the run to do before its first connect; it never throws. */
export type BackgroundCheck = (signal: AbortSignal) => Promise<void>;

/** What a run needs: the listener, its options, and how to open the core stream. */
export interface RunSpec {
  runListener: StreamListener;
  runOptions: ResolvedStreamOptions;
  /** Makes the core stream with the options the run computed (called once, synchronously). */
  openCoreStream(coreOptions: StreamOptions): MastodonStream;
  /**
   * The call's own checks (the version gate), run by {@link StreamRun.runChecks} before the call
   * returns (§9.1): a throw rejects the call, and `onAbort` is not called. It may return work
   * for the background, before the first connect (the availability warning). Both must stop
   * their requests when `signal` (the run's) aborts.
   */
  instanceChecks?: ((signal: AbortSignal) => Promise<BackgroundCheck | undefined>) | undefined;
  /**
   * The client's `random` and `clock` (core's defaults where not given, filled in by the restart chunk): the restart
   * backoff jitters with the one and waits on the other, as core's reconnects do.
   */
  backoffSources?: Pick<ClientOptions, 'random' | 'clock'> | undefined;
  /** Pass `forStream` as `undefined` (a bare body fed to `handleStream` belongs to no known stream). */
  hideStreamLabel?: boolean;
}

/** One `stream*` call in progress; see {@link startRun}. */
export interface StreamRun {
  readonly coreStream: MastodonStream;
  /** True until `execute` has finished. */
  alive(): boolean;
  /** True only while a response is being read. */
  receiving(): boolean;
  /**
   * Runs the spec's `instanceChecks`, once, before `execute`: rejects with its error, or with the abort
   * reason if the run is stopped meanwhile, and then the run is over (no `execute`).
   */
  runChecks(): Promise<void>;
  /** Runs until the stream ends; never throws (the outcome says how it ended). Called once, after `runChecks`. */
  execute(): Promise<RunOutcome>;
  /** Aborts the connection (or the reconnect wait) at once; the run ends right after. */
  stopRun(reason?: unknown): void;
}
