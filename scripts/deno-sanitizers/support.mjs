// What every sanitizer case shares: the control server (Node runs the testkit,
// which needs node:http), a Deno.test with every sanitizer on, and small waits.
//
//   deno test --sanitize-ops --sanitize-resources … scripts/deno-sanitizers/*.test.mjs -- --control http://127.0.0.1:PORT
//
// Deno 2.8 turned the op and resource sanitizers off by default; each case turns
// them on itself (and the step passes the flags too), so that no run of these
// files can go without them.
import { createClient } from '../../packages/core/dist/index.js';
import { ControlClient } from '../conformance/harness.mjs';
import { TOKEN } from '../conformance/stream-cases.mjs';

export { assert, startReading } from '../conformance/harness.mjs';
export { TOKEN };

const controlIndex = Deno.args.indexOf('--control');
if (controlIndex < 0) throw new Error('usage: deno test … scripts/deno-sanitizers/ -- --control <control-server URL>');
export const control = new ControlClient(Deno.args[controlIndex + 1]);

export const PUBLIC_STREAM_PATH = '/api/v1/streaming/public';
export const PUBLIC_TIMELINE_PATH = '/api/v1/timelines/public';
/** A core client of the case's fake instance, discovering its streaming host as a user's would. */
export const clientFor = (server, options = {}) => createClient({ url: server.url, accessToken: TOKEN, ...options });
export const isUpdate = (event) => event.event === 'update';
// Short enough that a case waits a fraction of a second for a retry, and still core's real backoff timer.
export const QUICK_RETRIES = { initialDelayMs: 40, minDelayMs: 20, maxDelayMs: 80 };

/** Stream options that record each `onClose` reason. */
export function recordingCloses() {
  const reasons = [];
  return { reasons, onClose: ({ reason }) => reasons.push(reason) };
}

const CASE_TIMEOUT_MS = 15_000;
/** How long the server may take to see a connection closed once the code under test has closed it (it takes milliseconds). */
const CLOSED_WITHIN_MS = 3_000;

/**
 * A Deno.test with the op, resource and exit sanitizers on, given a fresh fake
 * Mastodon. `run` gets `{ server, control, caseSignal }`; `caseSignal` aborts
 * only if the case times out (the conformance cases pass it to their streams).
 *
 * The fake server is NOT closed here: closing it would end a read that the
 * code under test left pending before the sanitizers look at it, hiding the
 * leak. The control server closes every fake server when the step stops it.
 */
export function sanitizedTest(name, run, { server: serverOptions = {}, timeoutMs = CASE_TIMEOUT_MS } = {}) {
  Deno.test({
    name,
    sanitizeOps: true,
    sanitizeResources: true,
    sanitizeExit: true,
    async fn() {
      const server = await control.createServer(serverOptions);
      const timeout = new AbortController();
      let timer;
      const expired = new Promise((_, reject) => {
        timer = setTimeout(() => {
          timeout.abort(new Error(`case timed out after ${timeoutMs} ms`));
          reject(timeout.signal.reason);
        }, timeoutMs);
      });
      try {
        await Promise.race([run({ server, control, caseSignal: timeout.signal }), expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  });
}

/** Resolves once the fake server has seen the connection closed (by the client: the fake server closes none itself). */
export function expectClosed(server, connectionId) {
  return server.waitForClosed(connectionId, CLOSED_WITHIN_MS);
}

export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check()` is true; polls, because hooks and handlers cannot be awaited from outside. */
export async function until(check, what, timeoutMs = 10_000) {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** Resolves with what `promise` rejects with; fails if it resolves. */
export async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${what} to reject`);
}
