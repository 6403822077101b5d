// Which stack frames are the test suite's own, for the browser sanitizer: the
// page's tracker (page-tracker.mjs) and the step's network watch
// (network-watch.mjs) both decide by the first frame of the call that created
// a timer, a listener or a request. Plain ESM with no imports: the page loads
// it, and so does Node.

/**
 * Paths, on the page's own server, of code that is not under test: the
 * conformance harness and cases, and the testkit's chaos oracle. What they
 * start (the case timeout, polls, calls to the control server) is the
 * harness's to manage. Everything else counts, including code of no known
 * file: the built core and listener, their dependencies (ky, valibot) and the
 * canary, which must be counted like the packages it stands in for.
 */
const SUITE_PATHS = [/^\/conformance\/[\w-]+\.mjs$/, /^\/modules\/@tootstream\/testkit\//];

/** The sanitizer's own files: their frames are skipped to reach the caller. */
const SANITIZER_PATHS = [/^\/browser-sanitizer\/(page-tracker|case-check)\.mjs$/];

const matchesAny = (url, patterns) => {
  if (url === undefined) return false;
  let path;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  return patterns.some((pattern) => pattern.test(path));
};

export const isSuiteUrl = (url) => matchesAny(url, SUITE_PATHS);
export const isSanitizerUrl = (url) => matchesAny(url, SANITIZER_PATHS);

/** The URL of a V8 stack line (`    at f (http://host/file.js:1:2)`), or undefined for a native frame. */
export function urlOfStackLine(line) {
  return /\b(https?:\/\/[^\s)]+?):\d+:\d+\)?$/.exec(line.trim())?.[1];
}

/**
 * The call that created something, as the stack lines below the sanitizer's
 * own frames (`lines`: one URL or undefined per frame, top first). Native
 * frames (Array.forEach, a Promise executor's caller) are passed over to the
 * first frame with a file; the suite made it if that file is the suite's.
 */
export function madeBySuite(frameUrls) {
  const caller = frameUrls.find((url) => url !== undefined && !isSanitizerUrl(url));
  return caller !== undefined && isSuiteUrl(caller);
}
