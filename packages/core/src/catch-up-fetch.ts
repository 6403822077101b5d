import type { BackfillPayload, CatchUpContext, TimelineRoute } from './catch-up.js';
import { requestIdOf, retryDelayFrom, toApiError } from './api-errors.js';
import { MAX_PAGE_BYTES_PER_ITEM, readBodyText } from './bounded-body.js';
import { redactCredentials } from './redact.js';
import { kit } from './up-front-kit.js';

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;

/**
 * The page's items; a body that is not a JSON array is the server's fault, not
 * the network's. The body is bounded in size and time: a page that never ends
 * would otherwise hold the stream (whose live connection waits meanwhile) forever.
 */
export async function readTimelinePage(response: Response, limit: number, context: CatchUpContext): Promise<BackfillPayload[]> {
  const limits = { maxBytes: limit * MAX_PAGE_BYTES_PER_ITEM, timeoutMs: context.timeoutMs, clock: context.clockSource, signal: context.signal };
  const text = await readBodyText(response, limits, 'whole');
  // The answer's URL and request id, and what JSON.parse said, let an operator find the page in the server's logs.
  const badPage = (why: string, cause?: unknown) =>
    new kit.ApiError(response.status, `timeline response ${why}`, undefined, { cause, url: redactCredentials(response.url, context.requestHeaders), ...requestIdOf(response, context.requestHeaders) });
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    throw badPage('is not a JSON array', error);
  }
  if (!Array.isArray(items)) throw badPage('is not a JSON array');
  // Mastodon never sends more than it was asked for. A page of 300,000 tiny items fits the byte bound, and each one
  // becomes an event (or a malformed-event report) in one synchronous batch: the event loop stood still for a minute.
  if (items.length > limit) throw badPage(`holds more than the ${limit} items asked for`);
  // An item without a string id (an error object, null, a number id from a rewriting proxy) cannot be placed in the
  // timeline: skipped, it would end the walk as if the gap were closed, and lose what the page held without a word.
  if (items.some((item: { id?: unknown } | null) => typeof item?.id !== 'string')) throw badPage('holds an item without an id');
  return items as BackfillPayload[];
}

export async function fetchWithRateLimit(context: CatchUpContext, url: URL): Promise<Response> {
  for (let retry = 0; ; retry++) {
    let response: Response;
    try {
      response = await context.http.get(url, { headers: context.requestHeaders, signal: context.signal });
    } catch (error) {
      throw kit.toNetworkError(withoutRequest(error), 'connect', context.requestHeaders);
    }
    if (response.ok && response.status !== 206) return response;
    // A home feed being regenerated (206) says when to ask again in `Mastodon-Async-Refresh: id=…, retry=5` (4.4+).
    const delay = retryDelayFrom(response.headers, context.clockSource.now()) ?? (response.status === 206 ? Number(/retry=(\d+)/.exec(response.headers.get('mastodon-async-refresh') ?? '')?.[1]) * 1000 || undefined : undefined);
    // 206: Mastodon is regenerating the home feed (protocol.md §12.2, "retry later"), like a 503 without Retry-After.
    const retryLater = response.status === 429 || response.status === 503 || response.status === 206;
    if (!retryLater || retry >= MAX_RATE_LIMIT_RETRIES || (delay ?? 0) > MAX_RATE_LIMIT_WAIT_MS) {
      // The body says why (Mastodon's `error`, such as a list's `Record not found`; a proxy page's title), and the
      // answer's X-Request-Id is what an instance's admins ask for; a 206 body is the feed itself, not a reason.
      if (response.status !== 206) throw await toApiError(response, { clockSource: context.clockSource, requestHeaders: context.requestHeaders, streamUrl: url, signal: context.signal });
      await response.body?.cancel().catch(() => {});
      throw new kit.ApiError(206, 'home feed is being regenerated', delay, { url: redactCredentials(response.url, context.requestHeaders) });
    }
    await response.body?.cancel().catch(() => {});
    const wait = delay ?? 1_000 * 2 ** retry;
    // Past it by up to half of it: every client a rate-limit window held (Mastodon's windows are aligned) would
    // otherwise wake at its boundary together. Never past the longest wait, which the live stream spends waiting too.
    await kit.sleep(Math.min(wait + (context.randomSource() * wait) / 2, MAX_RATE_LIMIT_WAIT_MS), context.signal, context.clockSource);
    if (context.signal.aborted) throw new kit.ApiError(response.status, 'aborted while rate limited', delay);
  }
}

/**
 * ky's own errors (its TimeoutError) carry the whole `Request`, and with it the
 * Authorization header; as an error's `cause` that would reach logs. Only what
 * they say is kept.
 */
function withoutRequest(error: unknown): unknown {
  if (!(error instanceof Error) || !('request' in error)) return error;
  const copy = new Error(error.message, { cause: error.cause });
  copy.name = error.name;
  return copy;
}

/** The route's timeline with its fixed query and these paging parameters. */
export function timelineUrl(context: Pick<CatchUpContext, 'apiBase'>, target: TimelineRoute, params: Record<string, string>): URL {
  const url = new URL(target.path, context.apiBase);
  for (const [key, value] of Object.entries({ ...target.query, ...params })) url.searchParams.set(key, value);
  return url;
}
