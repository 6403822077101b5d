import { MastodonArgumentError } from './errors.js';
import { shown } from './option-checks.js';

/** An instance URL given by the user, as a base for relative API paths (with a trailing slash). */
export const parseBaseUrl = (value: unknown, field: string): string => {
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    throw new MastodonArgumentError(`${field} must be an absolute URL (got ${shown(value)})`);
  }
  // A WebSocket URL can name a streaming server, not the API base: REST (discovery, catch-up) cannot be sent there.
  if (!['http:', 'https:', ...(field == 'url' ? [] : ['ws:', 'wss:'])].includes(url.protocol)) {
    throw new MastodonArgumentError(`${field} must use http or https (got ${url.protocol})`);
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
};

/** A streaming base as advertised or given (`wss://host/path/`) → what fetch can open (`https://host/path`). */
export const normalizeStreamingBase = (advertised: string): string => {
  const url = new URL(advertised);
  // Only http, https, ws and wss get here (parseBaseUrl, discovery): wss: → https:, ws: → http:.
  url.protocol = url.protocol.replace('ws', 'http');
  url.search = '';
  url.hash = '';
  // A loop, not /\/+$/: that regex retries from every slash of a run that does not end the URL, and an instance document
  // (read without a token, from anything on the path) could hold a million of them, freezing the event loop for minutes.
  let base = url.href;
  while (base.endsWith('/')) base = base.slice(0, -1);
  return base;
};
