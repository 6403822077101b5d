import type { FakeMastodon } from '@tootstream/testkit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { StreamCursor } from '../src/cursor.js';
import type { MastodonEvent } from '../src/events.js';
import type { CatchUpProgress, GapInfo } from '../src/stream-hooks.js';
import { take, until } from './support/collect.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';
import { ALICE, TOKEN, backoffTimer, fakePerTest } from './support/fake-per-test.js';

// The `direct` stream's gap is backfilled from GET /api/v1/conversations, which Mastodon pages by the id
// of each conversation's newest status (AccountConversation.paginate_by_min_id), not by the conversation id.
const startFake = fakePerTest();

const lastStatusIdOf = (event: MastodonEvent | undefined) => (event?.event === 'conversation' ? event.payload.last_status?.id : undefined);

/** Posts a direct message from bob to alice and the conversation update the server streams for it. */
function directMessage(fake: FakeMastodon, conversationId: string, text: string) {
  const status = fake.postStatus({ content: `<p>@alice ${text}</p>` }, { account: 'bob', visibility: 'direct', homeOf: [ALICE] });
  return fake.conversation(ALICE, { id: conversationId, last_status: status });
}

/** Streams `direct` in a first client until a message in `conversationId` arrives, and returns that stream's cursor as JSON would carry it. */
async function cursorAfterOneMessage(fake: FakeMastodon, conversationId: string): Promise<StreamCursor> {
  const firstStream = createClient({ url: fake.url, accessToken: TOKEN }).direct({ stallTimeoutMs: 0 });
  const firstIterator = firstStream[Symbol.asyncIterator]();
  const firstEvent = take(firstIterator, 1);
  await fake.waitForConnection((connection) => connection.stream === 'direct');
  directMessage(fake, conversationId, 'seen');
  await firstEvent;
  const cursor = firstStream.cursor();
  await firstIterator.return?.();
  return JSON.parse(JSON.stringify(cursor)) as StreamCursor;
}

describe('catch-up on the direct stream', () => {
  it('brings back each conversation that changed while down, once, oldest first, paged from the newest status seen', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const clock = new VirtualClock();
    const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0.5, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const gaps: GapInfo[] = [];
    const progress: CatchUpProgress[] = [];
    const stream = client.direct({ stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap), onCatchUpProgress: (report) => progress.push(report) });
    const iterator = stream[Symbol.asyncIterator]();

    const firstEvent = take(iterator, 1);
    await server.waitForConnection((connection) => connection.stream === 'direct');
    const seen = directMessage(server, '10', 'before the drop');
    expect(await firstEvent).toMatchObject([{ event: 'conversation', source: 'live', payload: { id: '10' } }]);
    const seenStatusId = (seen['last_status'] as { id: string }).id;
    expect(stream.cursor().lastStatusId).toBe(seenStatusId);

    const backfilled = take(iterator, 3);
    server.dropConnections((connection) => connection.stream === 'direct');
    const sleep = await clock.waitForTimer(backoffTimer);
    // While down: an old conversation gets a new message, a new conversation starts, and the first one gets two.
    const oldThread = directMessage(server, '3', 'old thread, new message');
    const newThread = directMessage(server, '11', 'a new thread');
    directMessage(server, '10', 'one');
    const newest = directMessage(server, '10', 'two');
    clock.advance(sleep.delay);

    const backfill = await backfilled;
    expect(backfill.map((event) => event.source)).toEqual(['catchup', 'catchup', 'catchup']);
    expect(backfill.map((event) => (event.event === 'conversation' ? event.payload.id : event.event))).toEqual(['3', '11', '10']);
    // Conversation 10 comes back once, as it is now: with its newest message.
    expect(backfill.map(lastStatusIdOf)).toEqual([oldThread, newThread, newest].map((conversation) => (conversation['last_status'] as { id: string }).id));
    const requests = server.requests.filter((request) => request.path === '/api/v1/conversations');
    // One page below the cursor first (conversation 10 was delivered just before the drop), then the walk from it.
    expect(requests[0]?.query).toMatchObject({ max_id: seenStatusId, since_id: expect.any(String), limit: '40' });
    expect(requests[1]?.query).toMatchObject({ min_id: seenStatusId, limit: '40' });
    // A conversation only marked read, or removed, while down is not listed by its newest status: still a gap.
    expect(gaps).toEqual([{ reason: 'not-recoverable', kinds: ['conversations', 'deletes'], since: expect.any(Number) }]);
    expect(stream.cursor().lastStatusId).toBe((newest['last_status'] as { id: string }).id);
    // The next pull asks once more; the empty page ends the walk (protocol.md §12.2) and the live connection is read.
    const next = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    expect(progress.at(-1)).toMatchObject({ route: 'conversations', done: true, fetched: 3 });

    // The live connection goes on after the backfill, and a repeat of a backfilled update is dropped.
    server.conversation(ALICE, newest);
    const live = directMessage(server, '12', 'after');
    expect(await next).toMatchObject([{ event: 'conversation', source: 'live', payload: { id: live['id'] } }]);
    await iterator.return?.();
  });

  it('resumes a direct stream from a cursor in a new client', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await cursorAfterOneMessage(server, '20');

    const missed = directMessage(server, '21', 'missed');
    const second = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = second.direct({ stallTimeoutMs: 0, cursor })[Symbol.asyncIterator]();
    expect(await take(iterator, 1)).toMatchObject([{ event: 'conversation', source: 'catchup', payload: { id: missed['id'] } }]);
    await iterator.return?.();
  });

  it('a live update the catch-up already superseded is dropped: the consumer ends on the newest state', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneMessage(fake, '10');

    // Two messages reach conversation 10 after the new live connection opened and before the catch-up's
    // request: the live connection holds the conversation at both, REST answers with the newer.
    let newest = '';
    let injected = false;
    const messagesBeforeCatchUp: typeof fetch = async (input, init) => {
      if (!injected && String(input instanceof Request ? input.url : input).includes('/api/v1/conversations')) {
        injected = true;
        directMessage(fake, '10', 'two');
        newest = lastStatusIdOf({ event: 'conversation', payload: directMessage(fake, '10', 'three') } as MastodonEvent) ?? '';
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return fetch(input, init);
    };
    const second = createClient({ url: fake.url, accessToken: TOKEN, fetch: messagesBeforeCatchUp });
    const iterator = second.direct({ stallTimeoutMs: 0, cursor })[Symbol.asyncIterator]();
    const events = await take(iterator, 1);
    directMessage(fake, '99', 'after');
    const isLastFrom99 = () => {
      const last = events.at(-1);
      return last?.event === 'conversation' && last.payload.id === '99';
    };
    while (!isLastFrom99()) events.push(...(await take(iterator, 1)));
    await iterator.return?.();

    const statesOf10 = events.filter((event) => event.event === 'conversation' && event.payload.id === '10');
    expect(statesOf10.map((event) => [event.source, lastStatusIdOf(event)])).toEqual([['catchup', newest]]);
  });

  it('live conversation changes are not duplicates: marked read, and back to the previous message after a delete', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = client.direct({ stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const firstTwo = take(iterator, 2);
    await server.waitForConnection((connection) => connection.stream === 'direct');
    const first = directMessage(server, '10', 'one');
    const second = directMessage(server, '10', 'two');
    await firstTwo;

    const rest = take(iterator, 3);
    // Read on another device: the same newest message, `unread` now false (Mastodon streams this too).
    server.conversation(ALICE, { ...second, unread: false });
    server.conversation(ALICE, { ...second, unread: false }); // a repeat of that state is a duplicate
    // The newest message is deleted: Mastodon 4.5 sends no delete on `direct`, only the conversation at the message before.
    server.deleteStatus((second['last_status'] as { id: string }).id);
    directMessage(server, '99', 'after');
    const shown = (await rest).map((event) => (event.event === 'conversation' ? `${event.payload.id}@${lastStatusIdOf(event)} unread=${event.payload.unread}` : event.event));
    const id = (conversation: Record<string, unknown>) => (conversation['last_status'] as { id: string }).id;
    expect(shown.slice(0, 2)).toEqual([`10@${id(second)} unread=false`, `10@${id(first)} unread=false`]);
    expect(shown[2]).toMatch(/^99@\d+ unread=true$/);
    await iterator.return?.();
  });
  it("after a catch-up, a conversation streamed back at its previous message (its newest deleted) is delivered once a heartbeat came", async () => {
    const server = await startFake({ heartbeatIntervalMs: 100 });
    const cursor = await cursorAfterOneMessage(server, '10');
    // While down: conversation 10 gets a message, which the catch-up delivers.
    const previous = directMessage(server, '10', 'while down');
    const newest = directMessage(server, '10', 'newest, deleted later');
    let heartbeats = 0;
    const second = createClient({ url: server.url, accessToken: TOKEN });
    const iterator = second.direct({ stallTimeoutMs: 0, cursor, onHeartbeat: (text) => void (text === 'thump' && heartbeats++) })[Symbol.asyncIterator]();
    expect((await take(iterator, 1)).map(lastStatusIdOf)).toEqual([lastStatusIdOf({ event: 'conversation', payload: newest } as MastodonEvent)]);
    const after = take(iterator, 2);
    await until(() => heartbeats > 0);
    // Deleted on another device: Mastodon 4.5 streams the conversation at its previous message and no delete.
    server.deleteStatus((newest['last_status'] as { id: string }).id);
    directMessage(server, '99', 'marker');
    const events = await after;
    expect(events.map((event) => [event.source, event.event === 'conversation' ? event.payload.id : event.event, lastStatusIdOf(event)])).toEqual([
      ['live', '10', lastStatusIdOf({ event: 'conversation', payload: previous } as MastodonEvent)],
      ['live', '99', expect.any(String)],
    ]);
    await iterator.return?.();
  });
});
