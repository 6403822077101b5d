/**
 * Time source for timers and timestamps. Inject a fake one (or use vitest fake
 * timers, which patch the globals this default reads at call time) to make
 * reconnect and watchdog behaviour independent of wall time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The runtime's own clock.
 *
 * @example
 * ```ts
 * const client = createClient({ url, clock: systemClock }); // the default; tests pass a virtual clock instead
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Runtimes fire a longer timer (a month's Retry-After, an Infinity timeout) after 1 ms instead: that would be a hot loop.
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, Math.min(delayMs, 2_147_483_647)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A random source in [0, 1), injectable for deterministic jitter. */
export type RandomSource = () => number;

/**
 * Resolves after `delayMs`, or early (without throwing) when `signal` aborts.
 * Always clears its timer and removes its abort listener.
 */
export const sleep = (delayMs: number, signal: AbortSignal, clock: Clock): Promise<void> =>
  new Promise((resolve) => {
    const finish = () => {
      clock.clearTimeout(timer);
      detach();
      resolve();
    };
    const timer = clock.setTimeout(finish, Math.max(0, delayMs));
    const detach = onAbort(signal, finish);
    // A signal aborted before the sleep began never fires its listener: the sleep ends at once.
    if (signal.aborted) finish();
  });

/**
 * Settles like `promise`, or rejects with the abort reason as soon as
 * `signal` aborts. The promise itself runs on, unobserved (its rejection is
 * handled here): this is for work that is shared or cannot be cancelled,
 * such as a client's discovery or a user's `accessToken()` callback, which
 * must not hold up the stream that stopped waiting for it.
 */
export const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> => {
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    // An aborted signal fires no more 'abort' events: without this, the wait would last as long as the promise.
    if (signal.aborted) stop();
    promise.then(resolve, reject).finally(onAbort(signal, stop));
  });
};

/** Calls `listener` once when `signal` (if any) aborts; the function returned stops listening. */
export const onAbort = (signal: AbortSignal | undefined, listener: () => void): () => void => {
  signal?.addEventListener('abort', listener, { once: true });
  return () => signal?.removeEventListener('abort', listener);
};
