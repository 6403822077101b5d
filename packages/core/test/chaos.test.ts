import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { isTootstreamError, MastodonApiError, MastodonMalformedEventError } from '../src/errors.js';
import type { MastodonEvent } from '../src/events.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { createChaosServer, type ChaosServer } from '@tootstream/testkit';
// The chaos oracle: the same checks as the listener's chaos test and the cross-runtime conformance.
import {
  assertNoChaosViolations,
  chaosSeeds,
  checkChaosCatchUpOrder,
  checkChaosConnectionOrder,
  checkChaosNotifications,
  checkChaosStatuses,
  checkChaosStreamsClosed,
  findChaosTag as tagIn,
  findChaosTagOfId,
  type ChaosCatchUpItem,
  type ChaosLedger,
} from '@tootstream/testkit/ledger';

// Seeded chaos: each seed is a different server life (events valid, malformed,
// unknown, split anywhere, LF/CRLF/CR, connections ended, cut mid-event,
// stalled, oversized or refused; catch-up pages missing, stale, garbage or
// failing). CHAOS_SEEDS=<seed> reruns a failing seed: the server makes the same
// choices (the client's timing may still differ).
const seeds = (first: number, count: number) => chaosSeeds({ first, count, override: process.env.CHAOS_SEEDS });
const CONNECTIONS_PER_RUN = 8;
/** The client's limit, which the server's oversized events exceed. */
const MAX_EVENT_BYTES = 4096;
/** Faster than any real server, so a run of dozens of stalls takes a moment. */
const STALL_TIMEOUT_MS = 150;

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
  /** Indexes into `events` where a catch-up began. */
  catchUpStarts: Set<number>;
  thrown: unknown;
}

type ChaosStream = 'public' | 'user';

async function runClient(chaos: ChaosServer, streamName: ChaosStream): Promise<RunResult> {
  const events: MastodonEvent[] = [];
  const observed: RunResult['observed'] = [];
  const reported: unknown[] = [];
  const gaps: GapInfo[] = [];
  const catchUpStarts = new Set<number>();
  let thrown: unknown;
  const client = createClient({ url: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token' });
  const stream = client.stream(
    streamName,
    {},
    {
      maxEventBytes: MAX_EVENT_BYTES,
      stallTimeoutMs: STALL_TIMEOUT_MS,
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxDelayMs: 20 },
      onError: (error) => {
        reported.push(error);
        if (error instanceof MastodonMalformedEventError) observed.push(error);
      },
      onGap: (gap) => gaps.push(gap),
      // Each catch-up is merged on its own: where in the event sequence one begins.
      onStateChange: (state) => {
        if (state === 'catching-up') catchUpStarts.add(events.length);
      },
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
  return { events, observed, reported, gaps, catchUpStarts, thrown };
}

async function withinTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The tag of a delivered event or a reported malformed one (see chaos-server.ts); a delete's payload has room only for an id. */
function tagOf(observed: MastodonEvent | MastodonMalformedEventError, ledger: ChaosLedger): string | undefined {
  if (observed instanceof MastodonMalformedEventError || observed.event === 'unknown') return tagIn(observed.data);
  if (observed.event === 'update') return tagIn(observed.payload.content);
  if (observed.event === 'notification') return tagIn(JSON.stringify(observed.payload));
  if (observed.event === 'delete') return findChaosTagOfId(ledger, observed.payload);
  return undefined;
}

/** One server life: runs the client against it and holds the client to the ledger. */
async function checkChaos(seed: number, streamName: ChaosStream): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    server = await createChaosServer({ seed, connections: CONNECTIONS_PER_RUN, stream: streamName, maxEventBytes: MAX_EVENT_BYTES });
    const { ledger } = server;
    const { observed, events, reported, gaps, catchUpStarts, thrown } = await withinTime(runClient(server, streamName), 15_000, `seed ${seed}`);
    const context = `seed ${seed}: ${ledger.script.join(' | ')}`;

    // The run ends by our break on the final status, or with the final connection's refusal.
    if (ledger.finalStatusId === undefined) {
      expect(thrown, context).toBeInstanceOf(MastodonApiError);
      expect(thrown, context).toMatchObject({ status: 401 });
    } else expect(thrown, context).toBeUndefined();
    for (const error of reported) expect(isTootstreamError(error), `${context}: ${String(error)}`).toBe(true);
    expect(events.every((event) => ['update', 'notification', 'delete', 'unknown'].includes(event.event)), context).toBe(true);

    // Live: each connection's events arrive in order and whole, except the tail a cut connection may lose:
    // fetch discards the chunks its body stream still queues when the connection errors (WHATWG streams
    // empty the queue on error), and while a catch-up is delivered the live body is not read. The
    // statuses among them come back through the next catch-up, which the status check holds.
    // A status the catch-up delivered first is rightly dropped as a duplicate when it streams.
    const caughtUpIds = events.flatMap((event) => ((event.event === 'update' || event.event === 'notification') && event.source === 'catchup' ? [event.payload.id] : []));
    const liveTags = observed.map((item) => tagOf(item, ledger));
    assertNoChaosViolations(checkChaosConnectionOrder(ledger, liveTags, { caughtUpIds }), context);
    for (const event of events) {
      if (event.event === 'update' && event.source === 'live' && ledger.kinds.get(findChaosTagOfId(ledger, event.payload.id) ?? '') === 'badUtf8Status') expect(event.payload.content, context).toContain('\uFFFD');
    }

    // Statuses (and on `user` notifications): never twice, never invented; and with every catch-up successful,
    // none missing up to the final one. On `user`, each catch-up comes out merged by creation time.
    const statusIds = events.flatMap((event) => (event.event === 'update' ? [event.payload.id] : []));
    const everyCatchUpSucceeded = !gaps.some((gap) => gap.reason !== 'not-recoverable');
    const violations = checkChaosStatuses(ledger, statusIds, { everyCatchUpSucceeded });
    if (streamName === 'user') {
      const notificationIds = events.flatMap((event) => (event.event === 'notification' ? [event.payload.id] : []));
      violations.push(...checkChaosNotifications(ledger, notificationIds, { everyCatchUpSucceeded }), ...checkChaosCatchUpOrder(catchUpsOf(events, catchUpStarts)));
    }
    assertNoChaosViolations(violations, context);

    assertNoChaosViolations(await checkChaosStreamsClosed(server), context);
    expect(unhandled, context).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}

/**
 * What each catch-up delivered (statuses and notifications, with their
 * creation times), one list per catch-up: one ends where a live event comes or
 * the next catch-up begins.
 */
function catchUpsOf(events: MastodonEvent[], catchUpStarts: Set<number>): ChaosCatchUpItem[][] {
  const catchUps: ChaosCatchUpItem[][] = [];
  let current: ChaosCatchUpItem[] | undefined;
  for (const [index, event] of events.entries()) {
    if (event.source !== 'catchup' || catchUpStarts.has(index)) current = undefined;
    if (event.source !== 'catchup' || (event.event !== 'update' && event.event !== 'notification')) continue;
    if (current === undefined) catchUps.push((current = []));
    current.push({ id: event.payload.id, createdAt: event.payload.created_at });
  }
  return catchUps;
}

describe('chaos: whatever the server does, the client delivers what was fully sent, in order, once, reports the rest, and leaks nothing', () => {
  it.each(seeds(1000, 40))('public, seed %i', (seed) => checkChaos(seed, 'public'));
  // 60036 (from a soak): two notifications posted after the final connection's events, once its catch-up's notification
  // page had been answered, were counted as missing though no client could have been given them (the server posts none there now).
  const userSeeds = [...seeds(1500, 20), ...(process.env.CHAOS_SEEDS?.trim() ? [] : [60036])];
  it.each(userSeeds)('user (statuses and notifications), seed %i', (seed) => checkChaos(seed, 'user'));
});
