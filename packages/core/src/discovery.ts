import type { RestHttp } from './rest.js';
import { MAX_INSTANCE_BODY_BYTES, readBodyText, type BodyLimits } from './bounded-body.js';
import type { InstanceDocument } from './client.js';
import { kit } from './up-front-kit.js';

/**
 * Finds the streaming base URL as Mastodon advertises it (protocol.md §4.1):
 * instance v2 `configuration.urls.streaming` (4.0+), then v1
 * `urls.streaming_api`, then where the Rails app redirects `/api/v1/streaming`,
 * then the API base itself. WebSocket schemes are mapped to their HTTP twins and
 * any path is kept, without a trailing slash; an https instance's streaming URL
 * is https too. An instance document that is
 * too large or too slow, or a value that is not an http(s)/ws(s) URL, counts
 * as missing.
 */
export async function discoverStreamingBase(
  http: RestHttp,
  apiBase: string,
  headers: Record<string, string>,
  request: Omit<BodyLimits, 'maxBytes'> & { signal: AbortSignal },
): Promise<DiscoveredBase> {
  const { base: advertised, answered, document } = await advertisedStreamingBase(http, apiBase, headers, request);
  // The token goes where this points: an https instance that advertises ws:// or http:// (a misconfiguration,
  // or a document rewritten on the way) must not take it off TLS, so the same host is asked over https instead.
  const base = apiBase.startsWith('https:') && advertised.startsWith('http:') ? `https:${advertised.slice('http:'.length)}` : advertised;
  return { base, answered, document };
}

/** A discovered streaming base, and whether the instance said it (else it is the API base, a guess). */
export interface DiscoveredBase {
  base: string;
  /**
   * False when no instance document and no redirect answered (instance down, its web app down behind a
   * working proxy, a timeout): the API base is then only the best guess for now. Most instances stream
   * from it, so it is used, but it must not be kept: an instance with a separate streaming host would
   * otherwise be streamed from the wrong host for the client's whole life.
   */
  answered: boolean;
  /** The instance document the lookup read (v2, else v1), if it read one. */
  document?: InstanceDocument | undefined;
}

async function advertisedStreamingBase(
  http: RestHttp,
  apiBase: string,
  headers: Record<string, string>,
  request: Omit<BodyLimits, 'maxBytes'> & { signal: AbortSignal },
): Promise<DiscoveredBase> {
  const { signal } = request;
  const limits = { ...request, maxBytes: MAX_INSTANCE_BODY_BYTES };
  let v2: InstanceDocument | undefined;
  try {
    v2 = instanceDocument(await getJson(http, new URL('api/v2/instance', apiBase), headers, limits, signal));
  } catch {
    // Unreachable (refused, timed out, offline, or a proxy answering for an instance that is down): the other two
    // requests would only wait as long again, or be answered alike.
    return { base: kit.normalizeStreamingBase(apiBase), answered: false };
  }
  const fromV2 = usableBase((v2 as { configuration?: { urls?: { streaming?: unknown } } } | undefined)?.configuration?.urls?.streaming);
  if (fromV2 !== undefined) return { base: fromV2, answered: true, document: v2 };
  const v1 = instanceDocument(await getJson(http, new URL('api/v1/instance', apiBase), headers, limits, signal).catch(() => undefined));
  const fromV1 = usableBase((v1 as { urls?: { streaming_api?: unknown } } | undefined)?.urls?.streaming_api);
  const document = v2 ?? v1;
  if (fromV1 !== undefined) return { base: fromV1, answered: true, document };
  const redirected = await redirectedOrigin(http, new URL('api/v1/streaming', apiBase), headers, signal);
  if (redirected !== undefined && redirected !== SAME_HOST) return { base: redirected, answered: true, document };
  // A document that parsed but advertised nothing usable, or a 4xx for the streaming path, is an answer:
  // this instance streams from its API base.
  return { base: kit.normalizeStreamingBase(apiBase), answered: document !== undefined || redirected === SAME_HOST, document };
}

/** {@link redirectedOrigin}'s answer when the web app says the streaming server is on its own host. */
const SAME_HOST = 'same host';

/**
 * The origin the Rails app sends `/api/v1/streaming` to when the streaming
 * server is on another host (a 301 with host and port swapped; a 4xx, here
 * {@link SAME_HOST}, when it is the same host). The redirect is not followed:
 * only its Location is wanted. A browser hides a manual redirect (an opaque
 * response), so there this finds nothing and the API base is used.
 */
async function redirectedOrigin(http: RestHttp, url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<string | undefined> {
  if (signal.aborted) return undefined;
  try {
    const response = await http.get(url, { headers, signal, redirect: 'manual' });
    await response.body?.cancel();
    // Rails' 404, or the streaming server's own 4xx (the proxy sends the path to it), both mean "here"; a 5xx says
    // nothing, and nor does a rate limit's 429 (kept as an answer, it would pin the API base for the client's life).
    if (response.status >= 400 && response.status < 500 && response.status != 429) return SAME_HOST;
    const location = response.headers.get('location');
    if ((response.status !== 301 && response.status !== 302) || location === null || !URL.canParse(location, url)) return undefined;
    return usableBase(new URL(location, url).origin);
  } catch {
    return undefined;
  }
}

/** An advertised streaming URL we can open, normalized; anything else (not a URL, another scheme) counts as not advertised. */
function usableBase(advertised: unknown): string | undefined {
  if (typeof advertised !== 'string' || !URL.canParse(advertised)) return undefined;
  return ['http:', 'https:', 'ws:', 'wss:'].includes(new URL(advertised).protocol) ? kit.normalizeStreamingBase(advertised) : undefined;
}

/**
 * `json` if it is an instance document (v1 and v2 both carry the server's `version`), else `undefined`:
 * a 200 JSON body from a maintenance page or a proxy says nothing about where the instance streams from,
 * and counting it as an answer would keep the API base for the client's whole life.
 */
function instanceDocument(json: unknown): InstanceDocument | undefined {
  return typeof (json as { version?: unknown } | null | undefined)?.version === 'string' ? (json as InstanceDocument) : undefined;
}

/**
 * The JSON document at `url`, or `undefined` for an error status, another origin's answer or a body that is not JSON;
 * throws when no response came, or a 429 or a 5xx from 502 up (the instance is limiting or down).
 */
async function getJson(http: RestHttp, url: URL, headers: Record<string, string>, limits: BodyLimits, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return undefined;
  const response = await http.get(url, { headers, signal });
  // A document a redirect brought from another origin is not the instance's word: fetch dropped the token on that hop,
  // and trusting where the document points would send it there. (Only a followed redirect counts: a user's fetch may
  // send the request elsewhere itself, as a proxy or a test does.)
  if (!response.ok || (response.redirected && (!URL.canParse(response.url) || new URL(response.url).origin !== url.origin))) {
    await response.body?.cancel().catch(() => {});
    // A proxy whose instance is down (502 and up: bad gateway, unavailable, timeout) or a rate limit answers the next
    // requests alike: the caller takes it as unreachable, so an outage costs one request per attempt, not three. (A 500
    // or 501 may be one endpoint's bug or gap: v1 is asked.)
    if (response.status == 429 || response.status > 501) throw new Error('unavailable');
    return undefined;
  }
  try {
    return JSON.parse(await readBodyText(response, limits, 'whole')) as unknown;
  } catch {
    return undefined;
  }
}
