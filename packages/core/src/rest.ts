import ky, { type Options } from 'ky';
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
 * Runs `send` with a signal of its own that follows `parent` only until `send` settles; once the response headers
 * are in, the body is its reader's to stop (`readBodyText` watches the caller's signal itself). Two reasons:
 * - Node's fetch (undici, in Node 20 and 24) crashes the process when the signal of a fetch it has already rejected
 *   is aborted: a response with more content codings than it accepts is rejected so, and a stream's end aborts every
 *   request it made.
 * - ky joins the signal it is given to its own with `AbortSignal.any`, which in Node 20 leaves an entry on the given
 *   signal that is never removed: a stream's lifetime signal, given to every catch-up request, grew by four entries a
 *   reconnect, and an app's long-lived signal passed to `health()` by one a call.
 */
async function withSignalOfItsOwn<T>(parent: AbortSignal | null | undefined, send: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!parent) return send(undefined);
  const controller = new AbortController();
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward);
  try {
    return await send(controller.signal);
  } finally {
    parent.removeEventListener('abort', forward);
  }
}

/** The one REST call the modules make: ky's GET, each request with a signal of its own (see {@link withSignalOfItsOwn}). */
export interface RestHttp {
  get(url: string | URL, options: Omit<Options, 'signal'> & { signal?: AbortSignal | undefined }): Promise<Response>;
}

/** Creates the REST side of a client: no retries (the stream's policy decides), no cookies, errors as responses. */
// The default export: the up-front code reads it off the loaded namespace, where no build shortens a name (chunk-loader.ts).
export default function createRest(fetchImpl: typeof fetch, timeoutMs: number, clock: Clock): Rest {
  // ky refuses a timeout beyond what a runtime's timer can hold; that long means none. ky calls fetch inside a
  // promise executor after setting its timeout timer: a user's fetch that throws instead of rejecting would skip
  // the clearTimeout and keep the process alive for the whole timeout, so it is made to reject.
  const kyInstance = ky.create({
    fetch: async (input, init) => withSignalOfItsOwn((input as Request).signal, (signal) => fetchImpl(new Request(input as Request, { signal: signal ?? null }), init)),
    timeout: timeoutMs > 2_147_483_647 ? false : timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    credentials: 'omit',
  });
  const http: RestHttp = { get: (url, { signal, ...options }) => withSignalOfItsOwn(signal, (own) => kyInstance.get(url, own ? { ...options, signal: own } : options)) };
  let discovery: SharedDiscovery | undefined;
  return {
    streamingBase: (apiBase, headers, signal) =>
      (discovery ??= createSharedDiscovery((stop) => discoverStreamingBase(http, apiBase, headers, { timeoutMs, clock, signal: stop }))).get(signal),
    forgetStreamingBase: () => discovery?.forget(),
    discoveredDocument: () => discovery?.cachedDocument(),
    isHealthy: async (streamingBase, headers, signal) => {
      try {
        const response = await http.get(`${streamingBase}/api/v1/streaming/health`, { headers, signal });
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
