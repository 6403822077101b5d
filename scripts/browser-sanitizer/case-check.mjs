// The browser sanitizer's per-case check, for the conformance harness's
// runCases (its `caseCheck` option): a case passes only if, once it is over,
// the code under test has left no timer, no event listener that could still
// be called, and no request or response body in flight that it started during
// the case. Timers and listeners come from page-tracker.mjs (this module imports
// it, so a page that loads this module first has it installed before the
// packages load); requests from the step's network watch, through a function
// the step exposes to the page (network-watch.mjs).
import { leftSince, mark, untracked } from './page-tracker.mjs';

/**
 * How long the code under test has, after a case returns, to end what it
 * started. Some endings are asynchronous by nature: a stream left by `break`
 * or close() cancels its reader and aborts its fetch, and the browser's
 * network log reports the request ended a little later, from another process:
 * 2–20 ms measured on an idle machine, about 50 ms with both cores of a 2-core
 * machine busy. With 100 ms here, one run in about 25 failed a case while a
 * vitest run was starting beside it (its output was not kept; a late report is
 * the likely cause, nothing failed again). What the sanitizer is there to catch
 * stays much longer: a request left open never ends, and the timers core and
 * the listener could leave run for seconds (the 45 s stall watchdog, a grown
 * backoff, the connect and REST timeouts; every case with default settings
 * would show a leaked watchdog). A leaked timer that fires within the settle
 * is not reported: once fired, it holds nothing. Passing cases are checked as
 * soon as nothing is left, so they do not pay the wait.
 */
export const SETTLE_MS = 1_000;
/** Between two looks; nothing may be left at two looks in a row, so a stream caught between two steps (a chunk loading, a promise settling) is looked at again. */
const POLL_MS = 5;

const network = globalThis.__browserSanitizerNetwork;
if (typeof network !== 'function') throw new Error('case-check.mjs: the step did not expose __browserSanitizerNetwork (network-watch.mjs)');

const pause = (ms) => new Promise((resolve) => untracked.setTimeout(resolve, ms));

async function leftBehind({ since, networkSince }) {
  return [...leftSince(since), ...(await network('leftSince', networkSince))];
}

export class LeakError extends Error {
  constructor(caseName, left) {
    const items = left.map(({ what, stack }) => `${what}, started\n${stack}`);
    super(`"${caseName}" left ${left.length === 1 ? 'this' : `these ${left.length}`} behind ${SETTLE_MS} ms after it ended:\n${items.join('\n')}`);
    this.name = 'LeakError';
    // The harness prints an error's stack; this one's would be the check's own frames, not the leak's.
    this.stack = `${this.name}: ${this.message}`;
  }
}

export const caseCheck = {
  /** A baseline: what exists now is the earlier cases' (or the page's) and is not counted. */
  async beforeCase() {
    return { since: mark(), networkSince: await network('mark') };
  },
  /** Resolves once nothing the case started is left; throws a LeakError naming what is, each with the stack that created it. */
  async afterCase(caseName, baseline) {
    const started = performance.now();
    for (let cleanLooks = 0; cleanLooks < 2; ) {
      const left = await leftBehind(baseline);
      cleanLooks = left.length === 0 ? cleanLooks + 1 : 0;
      if (left.length > 0 && performance.now() - started >= SETTLE_MS) throw new LeakError(caseName, left);
      if (cleanLooks < 2) await pause(POLL_MS);
    }
  },
};

// For the page's entry (scripts/conformance/browser-entry.mjs), which passes it to runCases when present.
globalThis.__conformanceCaseCheck = caseCheck;
