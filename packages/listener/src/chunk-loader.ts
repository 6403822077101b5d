import { MastodonNetworkError } from './errors.js';

/**
 * Imports one of this package's on-demand chunks. In a browser the import is
 * a request like any other and fails when the network does: that is a
 * network error, never a bare `TypeError` from the module loader.
 *
 * @example
 * ```ts
 * const checks = await loadChunk(import('./instance-checks.js')); // offline: rejects with MastodonNetworkError
 * ```
 */
export const loadChunk = <T>(loading: Promise<T>): Promise<T> => {
  return loading.catch((cause: unknown) => {
    // The loader's own message names the chunk's URL (`Failed to fetch dynamically imported module: …`).
    throw new MastodonNetworkError(String((cause as Error | undefined)?.message ?? cause), { cause });
  });
};
