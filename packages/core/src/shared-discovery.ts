// Loaded with rest.ts: only a client without a `streamingUrl` discovers.

import type { InstanceDocument } from './client.js';
import type { DiscoveredBase } from './discovery.js';

/**
 * A client's streaming-base discovery: one request chain, shared by every
 * stream waiting for it, cached once the instance has answered, and cancelled as soon
 * as every waiter has given up, so that an aborted stream leaves no request
 * (no socket, no timer) behind to keep a process alive.
 */
export interface SharedDiscovery {
  /** The streaming base. Aborting `signal` withdraws this caller (rejecting with its reason); a call without one waits to the end. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached base: the next `get` asks the instance again. */
  forget(): void;
  /** The instance document the cached discovery read; `undefined` while none is cached or it read none. */
  cachedDocument(): InstanceDocument | undefined;
}

interface Discovery {
  base: Promise<DiscoveredBase>;
  controller: AbortController;
  waiting: number;
  /** A caller without a signal: the discovery runs to its end. */
  pinned: boolean;
  settled: boolean;
  document?: InstanceDocument | undefined;
}

/**
 * @param discover asks the instance; it must stop when its signal aborts (its result is then dropped).
 */
export function createSharedDiscovery(discover: (signal: AbortSignal) => Promise<DiscoveredBase>): SharedDiscovery {
  let current: Discovery | undefined;
  const start = (): Discovery => {
    const controller = new AbortController();
    const discovery: Discovery = { base: discover(controller.signal), controller, waiting: 0, pinned: false, settled: false };
    // A failure, or a guess made without an answer from the instance, is not cached: the next caller asks again.
    const settle = (cacheable: boolean) => {
      discovery.settled = true;
      if (!cacheable && current === discovery) current = undefined;
    };
    discovery.base.then(({ answered, document }) => {
      discovery.document = document;
      settle(answered);
    }, () => settle(false));
    return discovery;
  };
  const baseOf = (discovery: Discovery) => discovery.base.then(({ base }) => base);
  return {
    get(signal) {
      const discovery = (current ??= start());
      if (signal === undefined) {
        discovery.pinned = true;
        return baseOf(discovery);
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
        baseOf(discovery).then(resolve, reject).finally(() => signal.removeEventListener('abort', withdraw));
      });
    },
    forget() {
      current = undefined;
    },
    cachedDocument: () => current?.document,
  };
}
