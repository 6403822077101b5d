import type { sleep } from './clock.js';
import type { isTootstreamError, MastodonApiError, MastodonArgumentError, MastodonContentTypeError, MastodonEventTooLargeError, MastodonNetworkError } from './errors.js';
import type { toNetworkError } from './http-errors.js';
import type { compareIds } from './ids.js';
import type { normalizeStreamingBase } from './urls.js';

// The on-demand chunks (rest.ts and what it loads, api-errors.ts, sse-cr-lines.ts)
// are handed what they share with the up-front code when they load, instead of
// importing it. An import would make a bundler split the up-front code into
// chunks shared with them, and every user would download those chunks' import
// and export lists: about 350 B gz, measured. The error classes must be the
// up-front ones anyway, for `instanceof`. Only types are imported above.

/**
 * What the on-demand chunks use from the up-front code. Keyed by names of its own, not the public names (which the
 * build must keep), so that the build shortens the keys (tsup.config.ts).
 */
export interface UpFrontKit {
  ApiError: typeof MastodonApiError;
  ArgumentError: typeof MastodonArgumentError;
  ContentTypeError: typeof MastodonContentTypeError;
  NetworkError: typeof MastodonNetworkError;
  EventTooLargeError: typeof MastodonEventTooLargeError;
  isTootstream: typeof isTootstreamError;
  toNetworkError: typeof toNetworkError;
  sleep: typeof sleep;
  compareIdStrings: typeof compareIds;
  normalizeStreamingBase: typeof normalizeStreamingBase;
}

/** A module loaded on demand that needs the kit before it runs. */
export interface KitUser {
  useKit(given: UpFrontKit): void;
}

/** Set by {@link useKit}, which the loader calls before any of the chunk's code runs. */
export let kit: UpFrontKit;

/** Hands the kit to the on-demand code; every chunk that needs it re-exports this. */
export const useKit = (given: UpFrontKit): void => {
  kit = given;
};
