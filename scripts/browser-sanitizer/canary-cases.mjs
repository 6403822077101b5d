// Cases that stand in for the code under test (this file is not the suite's,
// suite-code.mjs, so what it starts is counted like what the packages start).
// canary-entry.mjs runs them through the harness with the sanitizer's check and
// requires each leaking case to fail naming its leak, with a stack that reaches
// this file, and the clean case to pass. If the tracker stopped seeing timers,
// listeners or requests, or a path that ends one (a timer firing, a `once`
// listener called, a body cancelled) were mistaken for a leak, the suite's green
// run would mean nothing; this is what shows it does not.
import { TOKEN } from '../conformance/stream-cases.mjs';

const streamUrl = (server) => `${server.url}/api/v1/streaming/public`;
const authorized = { headers: { Authorization: `Bearer ${TOKEN}` } };

/** Each case's `leaks`: what its failure must name. */
export const canaryCases = [
  {
    name: 'canary: a timer left running',
    leaks: ['setTimeout(…, 60000 ms)'],
    run() {
      setTimeout(() => {}, 60_000);
    },
  },
  {
    name: 'canary: an interval never cleared',
    leaks: ['setInterval(…, 1000 ms)'],
    run() {
      setInterval(() => {}, 1_000);
    },
  },
  {
    name: 'canary: a streaming response left unread',
    leaks: ['/api/v1/streaming/public) still in flight'],
    async run({ server }) {
      await fetch(streamUrl(server), authorized);
    },
  },
  {
    name: "canary: an abort listener left on the case's signal",
    leaks: ['an "abort" listener on AbortSignal'],
    run({ caseSignal }) {
      caseSignal.addEventListener('abort', () => {});
    },
  },
  {
    name: 'canary: a wake listener left on window',
    leaks: ['an "online" listener on window'],
    run() {
      globalThis.addEventListener('online', () => {});
    },
  },
  {
    name: 'canary: everything started is ended (must pass)',
    leaks: [],
    async run({ server, caseSignal }) {
      // Timers: cleared, or run to their end; an interval cleared.
      clearTimeout(setTimeout(() => {}, 60_000));
      clearInterval(setInterval(() => {}, 1_000));
      await new Promise((resolve) => setTimeout(resolve, 1));
      // Listeners: removed; called once; on a signal that has aborted; dropped with their `signal` option.
      const onAbort = () => {};
      caseSignal.addEventListener('abort', onAbort);
      caseSignal.removeEventListener('abort', onAbort);
      const fired = new AbortController();
      fired.signal.addEventListener('abort', () => {}, { once: true });
      fired.signal.addEventListener('abort', () => {});
      globalThis.addEventListener('online', () => {}, { signal: fired.signal });
      fired.abort();
      // Requests: a stream's body cancelled, another's fetch aborted, a whole body read.
      const cancelled = await fetch(streamUrl(server), authorized);
      await cancelled.body.cancel();
      const aborted = new AbortController();
      const reader = (await fetch(streamUrl(server), { ...authorized, signal: aborted.signal })).body.getReader();
      aborted.abort();
      await reader.read().catch(() => {});
      await (await fetch(`${server.url}/api/v1/instance`)).text();
    },
  },
];
