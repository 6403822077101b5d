import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { isTootstreamError, MastodonApiError, MastodonMalformedEventError } from '../src/errors.js';
import type { MastodonEvent } from '../src/events.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { CHAOS_MAX_EVENT_BYTES, CHAOS_STALL_TIMEOUT_MS, startChaosServer, tagIn, type ChaosServer } from './support/chaos-server.js';
import { until } from './support/collect.js';

// Seeded chaos: each seed is a different server life (events valid, malformed,
// unknown, split anywhere, LF/CRLF/CR, connections ended, cut mid-event,
// stalled, oversized or refused; catch-up pages missing, stale, garbage or
// failing). A failing seed replays exactly: run with CHAOS_SEEDS=<seed>.
const SEEDS = process.env.CHAOS_SEEDS?.split(',').map(Number) ?? Array.from({ length: 40 }, (_, index) => 1000 + index);
const CONNECTIONS_PER_RUN = 8;

let server: ChaosServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface RunResult {
  events: MastodonEvent[];
  /** Live events and malformed reports, in the order the consumer met them. */
  observed: (MastodonEvent | MastodonMalformedEventError)[];
  reported: unknown[];
  gaps: GapInfo[];
  thrown: unknown;
}

async function runClient(chaos: ChaosServer): Promise<RunResult> {
  const events: MastodonEvent[] = [];
  const observed: RunResult['observed'] = [];
  const reported: unknown[] = [];
  const gaps: GapInfo[] = [];
  let thrown: unknown;
  const client = createClient({ url: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token' });
  const stream = client.public(
    {},
    {
      maxEventBytes: CHAOS_MAX_EVENT_BYTES,
      stallTimeoutMs: CHAOS_STALL_TIMEOUT_MS,
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxDelayMs: 20 },
      onError: (error) => {
        reported.push(error);
        if (error instanceof MastodonMalformedEventError) observed.push(error);
      },
      onGap: (gap) => gaps.push(gap),
    },
  );
  try {
    for await (const event of stream) {
      events.push(event);
      if (event.source === 'live') observed.push(event);
      if (event.event === 'update' && event.payload.id === chaos.ledger.finalStatusId) break;
    }
  } catch (error) {
    thrown = error;
  }
  return { events, observed, reported, gaps, thrown };
}

const withinTime = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref())]);

/** The tag of a delivered event or a reported malformed one (see chaos-server.ts); `tagOfId` maps delete ids, whose payload has no room for one. */
function tagOf(observed: MastodonEvent | MastodonMalformedEventError, tagOfId: Map<string, string>): string | undefined {
  if (observed instanceof MastodonMalformedEventError || observed.event === 'unknown') return tagIn(observed.data);
  if (observed.event === 'update') return tagIn(observed.payload.content);
  if (observed.event === 'delete') return tagOfId.get(observed.payload);
  return undefined;
}

describe('chaos: whatever the server does, the client delivers what was fully sent, in order, once, reports the rest, and leaks nothing', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      server = await startChaosServer(seed, CONNECTIONS_PER_RUN);
      const { ledger } = server;
      const { observed, events, reported, gaps, thrown } = await withinTime(runClient(server), 15_000, `seed ${seed}`);
      const context = `seed ${seed}: ${ledger.script.join(' | ')}`;

      // The run ends by our break on the final status, or with the final connection's refusal.
      if (ledger.finalStatusId === undefined) {
        expect(thrown, context).toBeInstanceOf(MastodonApiError);
        expect(thrown, context).toMatchObject({ status: 401 });
      } else expect(thrown, context).toBeUndefined();
      for (const error of reported) expect(isTootstreamError(error), `${context}: ${String(error)}`).toBe(true);
      expect(events.every((event) => ['update', 'delete', 'unknown'].includes(event.event)), context).toBe(true);

      // Live: each connection's events arrive in order and whole, except the tail a cut connection may lose:
      // fetch discards the chunks its body stream still queues when the connection errors (WHATWG streams
      // empty the queue on error), and while a catch-up is delivered the live body is not read. The
      // statuses among them come back through the next catch-up, which the check further down holds.
      // A status the catch-up delivered first is rightly dropped as a duplicate when it streams.
      const caughtUp = new Set(events.flatMap((event) => (event.event === 'update' && event.source === 'catchup' ? [event.payload.id] : [])));
      const tagOfId = new Map([...ledger.idOfTag].map(([tag, id]) => [id, tag]));
      const liveTags = observed.map((item) => tagOf(item, tagOfId)).filter((tag) => tag !== undefined);
      for (const [index, connection] of ledger.connections.entries()) {
        const expected = connection.written.filter((tag) => !caughtUp.has(ledger.idOfTag.get(tag) ?? ''));
        const seen = liveTags.filter((tag) => tag.startsWith(`c${index}e`));
        const label = `${context}: connection c${index} (${connection.ending})`;
        if (connection.ending === 'drop') expect(seen, label).toEqual(expected.slice(0, seen.length));
        else expect(seen, label).toEqual(expected);
      }
      for (const event of events) {
        if (event.event === 'update' && event.source === 'live' && ledger.kinds.get(tagOfId.get(event.payload.id) ?? '') === 'badUtf8Status') expect(event.payload.content, context).toContain('\uFFFD');
      }

      // Statuses: never twice, never invented; and with every catch-up successful, none missing up to the final one.
      const statusIds = events.flatMap((event) => (event.event === 'update' ? [event.payload.id] : []));
      expect(new Set(statusIds).size, `${context}: duplicates`).toBe(statusIds.length);
      const posted = new Set([...ledger.posted, ledger.finalStatusId]);
      expect(statusIds.filter((id) => !posted.has(id)), context).toEqual([]);
      const catchUpFailed = gaps.some((gap) => gap.reason !== 'not-recoverable');
      if (ledger.finalStatusId !== undefined && !catchUpFailed) {
        const final = BigInt(ledger.finalStatusId);
        const expected = new Set([...ledger.posted.filter((id) => BigInt(id) < final), ...ledger.served, ledger.finalStatusId]);
        expect(new Set(statusIds), context).toEqual(expected);
      }

      await until(() => server?.openStreams() === 0, 2_000, `${context}: the client to close its connections`);
      expect(unhandled, context).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
