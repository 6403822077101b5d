import type { KyInstance } from 'ky';
import { MAX_INSTANCE_BODY_BYTES, readBodyText, type BodyLimits } from './bounded-body.js';
import { normalizeStreamingBase } from './urls.js';

/**
 * Finds the streaming base URL as Mastodon advertises it: instance v2
 * `configuration.urls.streaming` (4.0+), then v1 `urls.streaming_api`, then
 * the API base itself. WebSocket schemes are mapped to their HTTP twins and
 * any path is kept, without a trailing slash. An instance document that is
 * too large or too slow counts as missing.
 */
export async function discoverStreamingBase(
  http: KyInstance,
  apiBase: string,
  headers: Record<string, string>,
  timing: Omit<BodyLimits, 'maxBytes'>,
): Promise<string> {
  const limits = { ...timing, maxBytes: MAX_INSTANCE_BODY_BYTES };
  const v2 = await getJson(http, new URL('api/v2/instance', apiBase), headers, limits);
  const fromV2 = (v2 as { configuration?: { urls?: { streaming?: unknown } } } | undefined)?.configuration?.urls?.streaming;
  if (typeof fromV2 === 'string' && fromV2 !== '') return normalizeStreamingBase(fromV2);
  const v1 = await getJson(http, new URL('api/v1/instance', apiBase), headers, limits);
  const fromV1 = (v1 as { urls?: { streaming_api?: unknown } } | undefined)?.urls?.streaming_api;
  if (typeof fromV1 === 'string' && fromV1 !== '') return normalizeStreamingBase(fromV1);
  return normalizeStreamingBase(apiBase);
}

async function getJson(http: KyInstance, url: URL, headers: Record<string, string>, limits: BodyLimits): Promise<unknown> {
  try {
    const response = await http.get(url, { headers });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return JSON.parse(await readBodyText(response, limits, 'whole')) as unknown;
  } catch {
    return undefined;
  }
}
