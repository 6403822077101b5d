import { runAfterRealTime, type CancelTimer } from './durations.js';
import type { SseConnection } from './sse-connection.js';
import type { FakeConnection } from './types.js';

interface Waiter {
  check: () => boolean;
  cancelTimeout: CancelTimer;
  reject: (error: Error) => void;
}

/** Which wait is pending: the public method (named in errors) and what it waits for. */
export interface WaitDescription {
  method: string;
  target: string;
}

/**
 * Live SSE connections plus the promises tests wait on. Waiters are re-checked on every
 * subscribe and close, so no polling timers exist.
 */
export class ConnectionRegistry {
  private readonly live: SseConnection[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;
  total = 0;
  /** Appended to timeout messages: what the server saw meanwhile (set once the server is assembled). */
  describeState: () => string = () => '';

  get connections(): ReadonlyArray<SseConnection> {
    return this.live;
  }

  allocateId(): number {
    return this.nextId++;
  }

  add(connection: SseConnection): void {
    this.live.push(connection);
    this.total += 1;
    void connection.closed.then(() => {
      const index = this.live.indexOf(connection);
      if (index >= 0) this.live.splice(index, 1);
      this.recheck();
    });
  }

  /**
   * Called after every request, subscribe and close. Never throws: a predicate that throws
   * settles only its own wait (see waitFor), so the request or socket that triggered the
   * re-check is served as if nobody were waiting.
   */
  recheck(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /**
   * Resolves with the first defined result of `probe`, run now and on every recheck. `probe`
   * runs the test's predicate: if that throws, the wait rejects with an error naming it (the
   * thrown error is its `cause`) and is removed with its timer, since a predicate that failed
   * once would fail again on every later request and its error belongs to the test's await.
   * The timeout runs on real time, even under `vi.useFakeTimers()` (see runAfterRealTime);
   * `Infinity` starts none: the wait lasts until it holds or close().
   */
  waitFor<T>(wait: WaitDescription, timeoutMs: number, probe: () => T | undefined): Promise<T> {
    const describe = wait.target;
    let waiter!: Waiter;
    const promise = new Promise<T>((resolve, reject) => {
      waiter = {
        check: () => {
          let found: T | undefined;
          try {
            found = probe();
          } catch (error) {
            this.settle(waiter);
            reject(predicateError(wait, error));
            return true;
          }
          if (found === undefined) return false;
          this.settle(waiter);
          resolve(found);
          return true;
        },
        cancelTimeout: runAfterRealTime(timeoutMs, () => {
          this.settle(waiter);
          const state = this.describeState();
          reject(new Error(`FakeMastodon: timed out after ${timeoutMs} ms waiting for ${describe}${state === '' ? '' : `; ${state}`}`));
        }),
        reject,
      };
      this.waiters.add(waiter);
      waiter.check();
    });
    // close() ends a wait the test started and never awaited (the test failed before its await, and afterEach closed
    // the server): that rejection is noise beside the real failure, not an unhandled rejection of its own. A test
    // that awaits the wait still gets it.
    const rejectOnClose = waiter.reject;
    waiter.reject = (error) => {
      promise.catch(() => {});
      rejectOnClose(error);
    };
    return promise;
  }

  /** `target` names what the wait is for in its timeout message. */
  waitForConnection(predicate: (connection: FakeConnection) => boolean, timeoutMs: number, target = 'a subscribed connection'): Promise<FakeConnection> {
    return this.waitFor({ method: 'waitForConnection', target }, timeoutMs, () =>
      // Not one this fake has just ended or dropped: right after `dropConnections()`, a test waiting for the client's
      // next connection would get the dead one and publish into nothing.
      this.live.find((connection) => connection.isSubscribed && !connection.isClosed && !connection.isEnding && predicate(connection)),
    );
  }

  waitForCount(count: number, timeoutMs: number): Promise<void> {
    return this.waitFor({ method: 'waitForConnectionCount', target: `${count} open connection(s)` }, timeoutMs, () => (this.live.length === count ? true : undefined)).then(
      () => undefined,
    );
  }

  /** Rejects pending waits and clears their timers; used by close(). */
  dispose(): void {
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error('FakeMastodon: server closed while waiting'));
    }
  }

  private settle(waiter: Waiter): void {
    waiter.cancelTimeout();
    this.waiters.delete(waiter);
  }
}

function predicateError(wait: WaitDescription, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`FakeMastodon: the predicate given to ${wait.method} (waiting for ${wait.target}) threw: ${message}`, { cause: error });
}
