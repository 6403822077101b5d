import { readFileSync } from 'node:fs';

/**
 * The SSE captures from a real Mastodon 4.5.7 server that ship with the package, by name
 * (`fixtures/real-mastodon-4.5.7/<name>.reads.txt`; that folder's README says what each holds).
 *
 * @example
 * for (const name of REAL_SSE_CAPTURES) server.replayNext(readRealCapture(name), { timeScale: 0 });
 */
export const REAL_SSE_CAPTURES = [
  'sse-direct',
  'sse-hashtag',
  'sse-hashtag-local',
  'sse-kill',
  'sse-list',
  'sse-public',
  'sse-public-local-qs',
  'sse-user',
  'sse-user-notification',
] as const;

/** The name of one shipped capture. */
export type RealSseCapture = (typeof REAL_SSE_CAPTURES)[number];

// Resolved from this module, which is `src/` in the repository and `dist/` in the package: both
// sit next to `fixtures/`, so users need no path into node_modules.
const CAPTURES = new URL('../fixtures/real-mastodon-4.5.7/', import.meta.url);

/**
 * The `.reads.txt` timeline of a real 4.5.7 SSE capture (status line, headers, chunked body,
 * one line per TCP read with its time), ready for `replayNext` or `parseReads`.
 *
 * @example
 * server.replayNext(readRealCapture('sse-user'), { timeScale: 0.01 });
 * // the next stream connect gets the real server's bytes, read by read
 */
export function readRealCapture(name: RealSseCapture): string {
  if (!(REAL_SSE_CAPTURES as readonly string[]).includes(name)) {
    throw new TypeError(`readRealCapture: unknown capture '${String(name)}' (known: ${REAL_SSE_CAPTURES.join(', ')})`);
  }
  return readFileSync(new URL(`${name}.reads.txt`, CAPTURES), 'utf8');
}
