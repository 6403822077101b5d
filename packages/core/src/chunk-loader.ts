import { sleep } from './clock.js';
import { isTootstreamError, MastodonApiError, MastodonArgumentError, MastodonContentTypeError, MastodonEventTooLargeError, MastodonNetworkError } from './errors.js';
import { toNetworkError } from './http-errors.js';
import { compareIds } from './ids.js';
import type { KitUser, UpFrontKit } from './up-front-kit.js';
import { normalizeStreamingBase } from './urls.js';

const UP_FRONT_KIT: UpFrontKit = {
  ApiError: MastodonApiError,
  ArgumentError: MastodonArgumentError,
  ContentTypeError: MastodonContentTypeError,
  NetworkError: MastodonNetworkError,
  EventTooLargeError: MastodonEventTooLargeError,
  isTootstream: isTootstreamError,
  toNetworkError,
  sleep,
  compareIdStrings: compareIds,
  normalizeStreamingBase,
};

/**
 * Imports one of this package's lazily loaded chunks. In a browser the import
 * is a request like any other and fails when the network does, so a failed
 * load is a (retryable) network failure, never a crash of the stream.
 * Each chunk's entry point is its default export: a name read off a module
 * namespace ships as written (no build shortens it), and `default` repeats.
 */
export const loadChunk = <T>(load: () => Promise<T>): Promise<T> => load().catch((error: unknown) => {
    throw toNetworkError(error, 'connect');
  });

/** {@link loadChunk} for a chunk that uses the up-front code: it is handed the kit (see up-front-kit.ts) before it runs. */
export const loadKitUser = <T extends KitUser>(load: () => Promise<T>): Promise<T> => {
  // Not through handKit: no build inlines a function, so calling it would ship its definition too (only tests use it).
  return loadChunk(load).then((module) => {
    module.useKit(UP_FRONT_KIT);
    return module;
  });
};

/** Hands the kit to a chunk module obtained some other way (a test passing the module in). */
export const handKit = (module: KitUser): void => {
  module.useKit(UP_FRONT_KIT);
};
