import type { KyInstance } from 'ky';
import { normalizeStreamingBase } from './urls.js';

/**
 * Finds the streaming base URL as Mastodon advertises it: instance v2
 * `configuration.urls.streaming` (4.0+), then v1 `urls.streaming_api`, then
 * the API base itself. WebSocket schemes are mapped to their HTTP twins and
 * any path is kept, without a trailing slash.
 */
export async function discoverStreamingBase(http: KyInstance, apiBase: string, headers: Record<string, string>): Promise<string> {
  const v2 = await getJson(http, new URL('api/v2/instance', apiBase), headers);
  const fromV2 = (v2 as { configuration?: { urls?: { streaming?: unknown } } } | undefined)?.configuration?.urls?.streaming;
  if (typeof fromV2 === 'string' && fromV2 !== '') return normalizeStreamingBase(fromV2);
  const v1 = await getJson(http, new URL('api/v1/instance', apiBase), headers);
  const fromV1 = (v1 as { urls?: { streaming_api?: unknown } } | undefined)?.urls?.streaming_api;
  if (typeof fromV1 === 'string' && fromV1 !== '') return normalizeStreamingBase(fromV1);
  return normalizeStreamingBase(apiBase);
}

async function getJson(http: KyInstance, url: URL, headers: Record<string, string>): Promise<unknown> {
  try {
    const response = await http.get(url, { headers });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return await response.json();
  } catch {
    return undefined;
  }
}
