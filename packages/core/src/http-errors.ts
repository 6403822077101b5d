import { MastodonNetworkError } from './errors.js';

/**
 * Finds the most specific reason in an error's `cause` chain. undici wraps
 * the interesting part (`ECONNREFUSED`, `other side closed`) in a generic
 * `TypeError: fetch failed` / `terminated`.
 */
export function describeNetworkFailure(error: unknown): string {
  let message: string | undefined;
  let code: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (typeof current !== 'object') {
      message = String(current);
      break;
    }
    const layer = current as { code?: unknown; message?: unknown; cause?: unknown };
    // The innermost layer is the most specific: it wins.
    if (typeof layer.message === 'string' && layer.message !== '') message = layer.message;
    if (typeof layer.code === 'string') code = layer.code;
    current = layer.cause;
  }
  if (message === undefined) return code ?? 'unknown network failure';
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

/** Wraps a failure of `fetch` or of a body read in a {@link MastodonNetworkError}. */
export function toNetworkError(error: unknown, phase: 'connect' | 'read'): MastodonNetworkError {
  return new MastodonNetworkError(describeNetworkFailure(error), { cause: error, phase });
}
