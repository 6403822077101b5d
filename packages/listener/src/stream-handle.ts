import { RunKind, type StreamRun } from './run-types.js';

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * A stream running in the background (`runAsync: true`); Mastodon.py's
 * private `__stream_handle`, made public. A `stream*` call resolves to it
 * before the first connect; connecting, reading and (with `reconnectAsync`)
 * reconnecting happen in the background.
 *
 * @example
 * ```ts
 * const handle = await mastodon.streamUser(listener, { runAsync: true, reconnectAsync: true });
 * setTimeout(() => console.log('connected?', handle.isReceiving()), 1000);
 * // later
 * await handle.close(); // aborts the socket at once; no more handler calls after this resolves
 * ```
 */
export class StreamHandle {
  /**
   * Settles (always resolves) once the handle has really stopped: closed,
   * ended without reconnect, or ended by a fatal error (see {@link error}).
   */
  // `declare`, set in the constructor: a class field would ship the name a second time for the same own property.
  declare readonly closed: Promise<void>;
  readonly #run: StreamRun;
  #failure: Error | undefined;

  /**
   * @internal Handles are made by the `stream*` methods of {@link Mastodon}. `logStop`: the listener keeps the default
   * `onAbort`, so a stop is printed, as Mastodon.py's dying stream thread prints its traceback: otherwise a ported bot
   * whose handle stopped (a revoked token, a drop without `reconnectAsync`) exited 0 without a word.
   */
  constructor(run: StreamRun, logStop?: boolean) {
    this.#run = run;
    this.closed = run.execute().then((outcome) => {
      // Only a run that called onAbort fails in async mode, and onAbort gets Errors only.
      if (outcome.runKind === RunKind.Failed) {
        this.#failure = outcome.thrown as Error;
        if (logStop) console.error('[tootstream/listener] stream stopped:', outcome.thrown);
      }
    });
  }

  /**
   * Stops the stream: aborts the request or read in flight at once (no
   * waiting for the next byte), cancels a pending reconnect wait, and is safe
   * before the first connect. Idempotent; never calls `onAbort`. Resolves when
   * the handle has stopped.
   *
   * @example
   * ```ts
   * process.once('SIGINT', () => void handle.close());
   * ```
   */
  close(): Promise<void> {
    this.#run.stopRun();
    return this.closed;
  }

  /**
   * True from creation until the handle stops (closed, fatal error, or ended without reconnect).
   * @example
   * ```ts
   * statusBar.textContent = handle.isAlive() ? 'running' : `stopped${handle.error ? `: ${handle.error.message}` : ''}`;
   * ```
   */
  isAlive(): boolean {
    return this.#run.alive();
  }

  /**
   * True only while a stream response is being read: not before the first connect, not while reconnecting, not after close.
   * @example
   * ```ts
   * statusBar.textContent = handle.isReceiving() ? 'live' : 'reconnecting…';
   * ```
   */
  isReceiving(): boolean {
    return this.#run.receiving();
  }

  /** The error that ended the handle (after `onAbort` got it), if one did. */
  get error(): Error | undefined {
    return this.#failure;
  }

  /** Epoch ms of the last delivered event, if any. */
  get lastEventAt(): number | undefined {
    return this.#run.coreStream.stats.lastEventAt;
  }

  /** Epoch ms of the last comment line (`:)` or `:thump`), if any. */
  get lastHeartbeatAt(): number | undefined {
    return this.#run.coreStream.stats.lastHeartbeatAt;
  }

  /** `await using handle = await mastodon.streamUser(l, { runAsync: true })` closes it at the end of the scope. */
  [asyncDispose](): Promise<void> {
    return this.close();
  }
}
