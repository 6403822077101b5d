// The network half of the browser sanitizer, on the Node side of the step:
// the page's requests as Chromium's network log (the DevTools protocol's
// Network domain) reports them. A request is in flight from
// `requestWillBeSent` until `loadingFinished` (its body fully received) or
// `loadingFailed` (refused, aborted by its signal, or its body cancelled: each
// closes the connection or hands it back to the pool). So a response whose
// body the code under test neither read to its end nor cancelled stays in
// flight, as does a fetch still waiting for its headers; and a finished
// response whose body was never read is not counted, since it holds no
// connection any more (the browser has it all in memory until the Response is
// collected).
//
// Why not wrap `fetch` in the page: a body ends in many ways (reads to the
// end, cancel() on the stream or its reader, text()/json(), the fetch's signal
// aborting, a pipe, the Response being collected), and an in-page wrapper would
// have to mirror each of them; the network log is the browser's own account of
// the connection. Each request is attributed by the stack of the call that made
// it, as the page's tracker attributes timers and listeners (suite-code.mjs).
import { madeBySuite } from './suite-code.mjs';

/** What `fetch` makes (and XMLHttpRequest or EventSource, should a package use them); not the page's documents or modules. */
const WATCHED_TYPES = new Set(['Fetch', 'XHR', 'EventSource']);

const ASYNC_STACK_DEPTH = 16;

/** A CDP call frame as a V8 stack line, so that both halves report alike (CDP counts lines and columns from 0). */
const stackLine = ({ functionName, url, lineNumber, columnNumber }, isAsync) =>
  `    at ${isAsync ? 'async ' : ''}${functionName || '<anonymous>'} (${url || '<anonymous>'}:${lineNumber + 1}:${columnNumber + 1})`;

/** A CDP stack trace, its async parents included, as V8 writes an error's stack. */
function stackText(stack) {
  const lines = [];
  for (let part = stack, isAsync = false; part; part = part.parent, isAsync = true) lines.push(...part.callFrames.map((frame) => stackLine(frame, isAsync)));
  return lines.join('\n') || '    (no script stack)';
}

/**
 * Starts watching `page`'s requests and exposes them to the page as
 * `__browserSanitizerNetwork(command, since)`: `('mark')` gives a mark to compare
 * with later, `('leftSince', mark)` what the code under test started after it
 * and has not finished, as `[{ what, stack }]`. Call before the page loads.
 * Resolves with the CDP session, for the step's other calls into the page.
 */
export async function watchNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  /** requestId → { seq, what, stack }, for requests the code under test made and the browser has not finished. */
  const inFlight = new Map();
  let lastSeq = 0;
  cdp.on('Network.requestWillBeSent', ({ requestId, type, request, initiator }) => {
    // A redirect is sent again under the same id: still the same request.
    if (!WATCHED_TYPES.has(type) || inFlight.has(requestId)) return;
    const frames = initiator?.stack?.callFrames ?? [];
    if (madeBySuite(frames.map((frame) => frame.url || undefined))) return;
    inFlight.set(requestId, { seq: ++lastSeq, what: `a request (${request.method} ${request.url}) still in flight`, stack: stackText(initiator?.stack) });
  });
  const finished = ({ requestId }) => inFlight.delete(requestId);
  cdp.on('Network.loadingFinished', finished);
  cdp.on('Network.loadingFailed', finished);
  await cdp.send('Network.enable');
  // A request's initiator stack then goes on past each `await` to the calls that led to it (the stream, the
  // catch-up), as the page's own error stacks do; without it, it ends at the `fetch` call. No measurable cost on the suite.
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.setAsyncCallStackDepth', { maxDepth: ASYNC_STACK_DEPTH });
  await page.exposeFunction('__browserSanitizerNetwork', (command, since) => {
    if (command === 'mark') return lastSeq;
    return [...inFlight.values()].filter((request) => request.seq > since).map(({ what, stack }) => ({ what, stack }));
  });
  return cdp;
}
