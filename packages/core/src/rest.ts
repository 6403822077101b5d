import ky from 'ky';
import type { Clock } from './clock.js';
import type { InstanceDocument } from './client.js';
import { startCatchUp, type Backfill, type CatchUpRun } from './catch-up-run.js';
import { discoverStreamingBase } from './discovery.js';
import { createSharedDiscovery, type SharedDiscovery } from './shared-discovery.js';

export { useKit } from './up-front-kit.js';

// Everything a client does over REST, with ky, in a module the client imports
// on first use: a stream with a known streaming URL that never loses its
// connection loads none of it.

/** The REST calls of one client, sharing one ky instance. */
export interface Rest {
  /** The streaming base URL the instance advertises, discovered once per client; `signal` withdraws one caller (see {@link SharedDiscovery}). */
  streamingBase(apiBase: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<string>;
  /** Forgets the discovered base (and the instance document read with it). */
  forgetStreamingBase(): void;
  /** The instance document the cached discovery read, if any; never asks. */
  discoveredDocument(): InstanceDocument | undefined;
  /** True when the streaming server's health check answers 200; never throws. */
  isHealthy(streamingBase: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<boolean>;
  /** Starts backfilling a gap; see {@link startCatchUp}. */
  catchUp(run: Omit<CatchUpRun, 'http' | 'timeoutMs'>): Backfill;
}

/**
 * Sends `request` with a signal that follows the request's own only until the response headers arrive (or the fetch
 * fails); the body is then its reader's to stop (`readBodyText` watches the caller's signal). Node's fetch (undici, in
 * Node 20 and 24) crashes the process when the signal of a fetch it has already rejected is aborted: a response with more
 * content codings than it accepts is rejected so, and a stream's end aborts every request it made. And a signal kept for
 * a stream's lifetime gathers no listener per request.
 */
async function fetchUntilHeaders(fetchImpl: typeof fetch, request: Request, init: RequestInit | undefined): Promise<Response> {
  const controller = new AbortController();
  const parent = request.signal;
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward);
  try {
    return await fetchImpl(new Request(request, { signal: controller.signal }), init);
  } finally {
    parent.removeEventListener('abort', forward);
  }
}

/** Creates the REST side of a client: no retries (the stream's policy decides), no cookies, errors as responses. */
// The default export: the up-front code reads it off the loaded namespace, where no build shortens a name (chunk-loader.ts).
export default function createRest(fetchImpl: typeof fetch, timeoutMs: number, clock: Clock): Rest {
  // ky refuses a timeout beyond what a runtime's timer can hold; that long means none. ky calls fetch inside a
  // promise executor after setting its timeout timer: a user's fetch that throws instead of rejecting would skip
  // the clearTimeout and keep the process alive for the whole timeout, so it is made to reject.
  const http = ky.create({ fetch: async (input, init) => fetchUntilHeaders(fetchImpl, input as Request, init), timeout: timeoutMs > 2_147_483_647 ? false : timeoutMs, retry: 0, throwHttpErrors: false, credentials: 'omit' });
  let discovery: SharedDiscovery | undefined;
  return {
    streamingBase: (apiBase, headers, signal) =>
      (discovery ??= createSharedDiscovery((stop) => discoverStreamingBase(http, apiBase, headers, { timeoutMs, clock, signal: stop }))).get(signal),
    forgetStreamingBase: () => discovery?.forget(),
    discoveredDocument: () => discovery?.cachedDocument(),
    isHealthy: async (streamingBase, headers, signal) => {
      try {
        const response = await http.get(`${streamingBase}/api/v1/streaming/health`, { headers, ...(signal ? { signal } : {}) });
        await response.body?.cancel().catch(() => {});
        return response.status === 200;
      } catch {
        return false;
      }
    },
    // The stream's own headers, asking for JSON instead of an event stream.
    catchUp: (run) => startCatchUp({ ...run, requestHeaders: { ...run.requestHeaders, Accept: 'application/json' }, http, timeoutMs }),
  };
}
