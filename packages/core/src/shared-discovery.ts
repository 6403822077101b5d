// Loaded with rest.ts: only a client without a `streamingUrl` discovers.

/**
 * A client's streaming-base discovery: one request chain, shared by every
 * stream waiting for it, cached once it has succeeded, and cancelled as soon
 * as every waiter has given up, so that an aborted stream leaves no request
 * (no socket, no timer) behind to keep a process alive.
 */
export interface SharedDiscovery {
  /** The streaming base. Aborting `signal` withdraws this caller (rejecting with its reason); a call without one waits to the end. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached base: the next `get` asks the instance again. */
  forget(): void;
}

interface Discovery {
  base: Promise<string>;
  controller: AbortController;
  waiting: number;
  /** A caller without a signal: the discovery runs to its end. */
  pinned: boolean;
  settled: boolean;
}

/**
 * @param discover asks the instance; it must stop when its signal aborts (its result is then dropped).
 */
export function createSharedDiscovery(discover: (signal: AbortSignal) => Promise<string>): SharedDiscovery {
  let current: Discovery | undefined;
  const start = (): Discovery => {
    const controller = new AbortController();
    const discovery: Discovery = { base: discover(controller.signal), controller, waiting: 0, pinned: false, settled: false };
    const settle = () => {
      discovery.settled = true;
    };
    discovery.base.then(settle, () => {
      settle();
      // A failure is not cached: the next caller asks again.
      if (current === discovery) current = undefined;
    });
    return discovery;
  };
  return {
    get(signal) {
      const discovery = (current ??= start());
      if (signal === undefined) {
        discovery.pinned = true;
        return discovery.base;
      }
      if (signal.aborted) return Promise.reject(signal.reason);
      discovery.waiting++;
      return new Promise((resolve, reject) => {
        const withdraw = () => {
          reject(signal.reason);
          if (--discovery.waiting > 0 || discovery.pinned || discovery.settled) return;
          discovery.controller.abort();
          if (current === discovery) current = undefined;
        };
        signal.addEventListener('abort', withdraw, { once: true });
        discovery.base.then(resolve, reject).finally(() => signal.removeEventListener('abort', withdraw));
      });
    },
    forget() {
      current = undefined;
    },
  };
}
