import { afterEach, describe, expect, it } from 'vitest';
import { Mastodon, MastodonMalformedEventError, MastodonUnauthorizedError, type ForStream } from '@tootstream/listener';
// The same seeded chaos server as core's chaos test: one server life per seed, with a ledger of what was fully sent.
import { createChaosServer, type ChaosServer } from '@tootstream/testkit';
// The same oracle as core's chaos test and the cross-runtime conformance.
import {
  assertNoChaosViolations,
  chaosSeeds,
  checkChaosConnectionOrder,
  checkChaosStreamsClosed,
  countChaosInterruptions,
  findChaosTag as tagIn,
  findChaosTagOfId,
  type ChaosEventKind,
  type ChaosLedger,
} from '@tootstream/testkit/ledger';
import { Recorder, waitFor } from './support/harness.js';

// 50164 (from a soak): its final event, CRLF-terminated, came in two pieces split between its last CR and LF; the
// listener rightly delivered it at the CR (a CR ends a line), while the chaos server counted it written only at the LF.
const SEEDS = [...chaosSeeds({ first: 3000, count: 24, override: process.env.CHAOS_SEEDS }), ...(process.env.CHAOS_SEEDS?.trim() ? [] : [50164])];
// Fewer than core's: the listener's backoff (from reconnectAsyncWaitSec) doubles with every interruption.
const CONNECTIONS_PER_RUN = 5;
const MAX_EVENT_BYTES = 4096;
const STALL_TIMEOUT_MS = 150;

let server: ChaosServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Records every call, and resolves `finalSeen` when the status that ends the run arrives. */
class ChaosRecorder extends Recorder {
  readonly finalSeen: Promise<void>;
  #resolveFinal: () => void = () => {};

  constructor(readonly isFinal: (statusId: string) => boolean) {
    super();
    this.finalSeen = new Promise((resolve) => (this.#resolveFinal = resolve));
  }

  override onUpdate(status: unknown, forStream?: ForStream) {
    super.onUpdate(status, forStream);
    if (this.isFinal((status as { id: string }).id)) this.#resolveFinal();
  }
}

/** The handler Mastodon.py's API calls for each kind of event the server wrote (validation is off by default, as in Mastodon.py). */
const HANDLER_OF_KIND: Record<ChaosEventKind, string> = {
  status: 'onUpdate',
  badUtf8Status: 'onError',
  notification: 'onNotification',
  delete: 'onDelete',
  unknown: 'onUnknownEvent',
  malformed: 'onError',
  invalid: 'onNotification',
};

/** The tag a handler call carries (see chaos-server.ts); a delete's payload has room only for an id. */
function tagOfCall([name, ...args]: [string, ...unknown[]], ledger: ChaosLedger): string | undefined {
  if (name === 'onUpdate') return tagIn((args[0] as { content: string }).content);
  if (name === 'onNotification') return tagIn(JSON.stringify(args[0]));
  if (name === 'onUnknownEvent') return tagIn(JSON.stringify(args[1]));
  if (name === 'onDelete') return findChaosTagOfId(ledger, args[0] as string);
  if (name === 'onError' && args[0] instanceof MastodonMalformedEventError) return tagIn(JSON.stringify(args[0].details));
  return undefined;
}

describe('chaos through the Mastodon.py API: each handler gets what was fully sent, in order; every interruption is one onAbort; nothing leaks', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const chaos = await createChaosServer({ seed, connections: CONNECTIONS_PER_RUN, maxEventBytes: MAX_EVENT_BYTES });
      server = chaos;
      const { ledger } = chaos;
      const recorder = new ChaosRecorder((statusId) => statusId === ledger.finalStatusId);
      const mastodon = new Mastodon({ apiBaseUrl: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token', streamDefaults: { maxEventBytes: MAX_EVENT_BYTES } });
      const handle = await mastodon.streamPublic(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.005, timeout: STALL_TIMEOUT_MS / 1000 });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([recorder.finalSeen, handle.closed, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
      clearTimeout(timer);
      const context = `seed ${seed}: ${ledger.script.join(' | ')}`;

      if (ledger.finalStatusId === undefined) {
        // The final connection is refused with a 401: fatal, so the handle ends by itself.
        await waitFor(() => !handle.isAlive(), `${context}: the handle to end`);
        expect(recorder.named('onAbort').at(-1)?.[1], context).toBeInstanceOf(MastodonUnauthorizedError);
      } else {
        expect(recorder.named('onUpdate').some((call) => recorder.isFinal((call[1] as { id: string }).id)), `${context}: the final status`).toBe(true);
        expect(handle.isAlive(), context).toBe(true);
      }
      await handle.close();
      expect(handle.isAlive(), context).toBe(false);

      const tagged = recorder.calls.flatMap((call) => {
        const tag = tagOfCall(call, ledger);
        return tag === undefined ? [] : [{ tag, handler: call[0] }];
      });
      for (const { tag, handler } of tagged) expect(handler, `${context}: ${tag}`).toBe(HANDLER_OF_KIND[ledger.kinds.get(tag) ?? 'status']);
      // No catch-up or dedupe here (Mastodon.py has neither): a cut connection may lose its tail, and that is all.
      assertNoChaosViolations(checkChaosConnectionOrder(ledger, tagged.map(({ tag }) => tag)), context);

      // Every interruption but a clean end is reported once, before the retry (listener-port.md §9.3).
      expect(recorder.count('onAbort'), context).toBe(countChaosInterruptions(ledger));
      for (const [, error] of recorder.named('onError')) expect(error, context).toBeInstanceOf(MastodonMalformedEventError);

      assertNoChaosViolations(await checkChaosStreamsClosed(chaos), context);
      expect(unhandled, context).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
