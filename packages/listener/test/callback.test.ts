import { KNOWN_ACCOUNTS } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackStreamListener, MastodonIllegalArgumentError, MastodonMalformedEventError, StreamListener, type Status } from '@tootstream/listener';
import { Cleanup, clientFor, sse, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

const ALICE = '1001';
const mentionOf = (account: typeof KNOWN_ACCOUNTS.bob) => ({ id: account.id, username: account.username, acct: account.acct, url: String(account['url']) });

describe('CallbackStreamListener', () => {
  it('case 18: user + direct streams share one listener (posts, mention, DMs, edit, delete)', async () => {
    const server = await cleanup.server();
    const got = { updates: [] as Status[], local: [] as Status[], notifications: [] as any[], deletes: [] as string[], conversations: [] as any[], edits: [] as Status[] };
    const listener = new CallbackStreamListener({
      updateHandler: (s) => void got.updates.push(s),
      localUpdateHandler: (s) => void got.local.push(s),
      notificationHandler: (n) => void got.notifications.push(n),
      deleteHandler: (id) => void got.deletes.push(id),
      conversationHandler: (c) => void got.conversations.push(c),
      statusUpdateHandler: (s) => void got.edits.push(s),
    });
    const mastodon = clientFor(server);
    const user = await cleanup.handle(mastodon.streamUser(listener, { runAsync: true }));
    const direct = await cleanup.handle(mastodon.streamDirect(listener, { runAsync: true }));
    await server.waitForConnectionCount(2);

    // What a real server emits for each action of Mastodon.py's test (alice = us, bob = user2, carol = user3).
    const ownPost = server.postStatus({ content: '<p>only real cats are permitted</p>' }, { account: 'alice', homeOf: [ALICE] });
    const mention = server.notify(ALICE, { fromAccount: 'bob' });
    server.postStatus({ content: '<p>unfollowed</p>' }, { account: 'bob', homeOf: ['1002'] });
    // Posting a direct status makes its conversations and notifies the mentioned accounts, as Mastodon does: alice's
    // own DM to bob is her (read) conversation with bob; carol's answer, mentioning only alice, a new one with carol.
    const ownDm = server.postStatus({ content: '<p>@bob secret</p>', mentions: [mentionOf(KNOWN_ACCOUNTS.bob)] }, { account: 'alice', visibility: 'direct', homeOf: [ALICE] });
    server.postStatus({ content: '<p>@alice hi back</p>', in_reply_to_id: ownDm.id, mentions: [mentionOf(KNOWN_ACCOUNTS.alice)] }, { account: 'carol', visibility: 'direct', homeOf: [] });
    server.editStatus(ownPost.id, { content: '<p>only real cats are permitted (edited)</p>' });
    server.deleteStatus(ownPost.id);

    server.endStreams();
    await Promise.all([user.closed, direct.closed]);
    expect(got.updates).toHaveLength(2);
    expect(got.local).toHaveLength(2);
    expect(got.notifications).toHaveLength(2);
    expect(got.deletes).toHaveLength(1);
    expect(got.conversations).toHaveLength(2);
    expect(got.edits).toHaveLength(1);
    expect(got.updates[0]?.id).toBe(ownPost.id);
    expect(got.deletes[0]).toBe(ownPost.id);
    expect(got.notifications[0].status.id).toBe((mention as any).status.id);
    expect(got.edits[0]?.id).toBe(ownPost.id);
  });

  it('case 19: only localUpdateHandler set, one own post: exactly one local update with the right id', async () => {
    const server = await cleanup.server();
    const local: string[] = [];
    const done = clientFor(server).streamUser(new CallbackStreamListener({ localUpdateHandler: (s) => void local.push(s.id) }));
    await server.waitForConnection();
    const post = server.postStatus({}, { account: 'alice', homeOf: [ALICE] });
    server.endStreams();
    await done;
    expect(local).toEqual([post.id]);
  });

  it('case 20: direct stream, user2 sends a DM and a public post: exactly one conversation', async () => {
    const server = await cleanup.server();
    const conversations: unknown[] = [];
    const updates: unknown[] = [];
    const handle = await cleanup.handle(
      clientFor(server).streamDirect(
        new CallbackStreamListener({ conversationHandler: (c) => void conversations.push(c), updateHandler: (s) => void updates.push(s) }),
        { runAsync: true },
      ),
    );
    await server.waitForConnection((c) => c.stream === 'direct');
    const dm = server.postStatus({ content: '<p>@alice psst</p>' }, { account: 'bob', visibility: 'direct', homeOf: [ALICE] });
    server.conversation(ALICE, { last_status: dm });
    server.postStatus({ content: '<p>hello world</p>' }, { account: 'bob' });
    server.endStreams();
    await handle.closed;
    expect(conversations).toHaveLength(1);
    expect(updates).toHaveLength(0);
  });

  it('local means: top-level account.acct without @ (for a boost, the booster); localUpdateHandler runs after updateHandler', async () => {
    const server = await cleanup.server();
    const order: string[] = [];
    const listener = new CallbackStreamListener({
      updateHandler: async (s) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`update ${s.id}`);
      },
      localUpdateHandler: (s) => void order.push(`local ${s.id}`),
    });
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    const local = server.postStatus({}, { account: 'alice', homeOf: [ALICE] });
    const remote = server.postStatus({}, { account: 'carol', homeOf: [ALICE] });
    // A status alice's home does not hold: a home that holds what is boosted takes no boost of it (FeedManager's REBLOG_FALLOFF).
    const boostOfRemote = server.postStatus({ reblog: server.postStatus({}, { account: 'carol', homeOf: [] }) }, { account: 'bob', homeOf: [ALICE] });
    server.endStreams();
    await done;
    expect(order).toEqual([`update ${local.id}`, `local ${local.id}`, `update ${remote.id}`, `update ${boostOfRemote.id}`, `local ${boostOfRemote.id}`]);
  });

  it("a status without account.acct raises 'received bad update' after updateHandler ran (async: to onError)", async () => {
    const server = await cleanup.server();
    const updates: unknown[] = [];
    const errors: Error[] = [];
    class Listener extends CallbackStreamListener {
      override onError(error: Error) {
        errors.push(error);
      }
    }
    const listener = new Listener({ updateHandler: (s) => void updates.push(s), localUpdateHandler: () => {} });
    const handle = await cleanup.handle(clientFor(server).streamUser(listener, { runAsync: true }));
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"id":"1"}'));
    await waitFor(() => errors.length === 1, 'the error');
    expect(updates).toEqual([{ id: '1' }]);
    expect(errors[0]).toBeInstanceOf(MastodonMalformedEventError);
    expect((errors[0] as MastodonMalformedEventError).reason).toBe('received bad update');
    expect((errors[0] as MastodonMalformedEventError).details).toEqual([{ id: '1' }]);
    expect(handle.isAlive()).toBe(true);
  });

  it('an error thrown by localUpdateHandler itself is not relabelled (Mastodon.py turned it into "received bad update")', async () => {
    const server = await cleanup.server();
    const boom = new Error('my bug');
    const done = clientFor(server).streamUser(
      new CallbackStreamListener({
        localUpdateHandler: () => {
          throw boom;
        },
      }),
    );
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice', homeOf: [ALICE] });
    await expect(done).rejects.toBe(boom);
  });

  it('routes every event kind to its callback; the rest (incl. notifications_merged) to unknownEventHandler', async () => {
    const server = await cleanup.server();
    const calls: unknown[][] = [];
    const record =
      (name: string) =>
      (...args: unknown[]) =>
        void calls.push([name, ...args]);
    const listener = new CallbackStreamListener({
      statusUpdateHandler: record('statusUpdate'),
      filtersChangedHandler: record('filtersChanged'),
      announcementHandler: record('announcement'),
      announcementReactionHandler: record('announcementReaction'),
      announcementDeleteHandler: record('announcementDelete'),
      encrytedMessageHandler: record('encryptedMessage (misspelt alias)'),
      unknownEventHandler: record('unknown'),
    });
    expect(listener).toBeInstanceOf(StreamListener);
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(
      [
        sse('status.update', '{"id":"1"}'),
        'event: filters_changed\n\n',
        sse('announcement', '{"id":"2"}'),
        sse('announcement.reaction', '{"name":"x","count":1,"announcement_id":"2"}'),
        sse('announcement.delete', '2'),
        sse('encrypted_message', '{"e":1}'),
        sse('notifications_merged', '1'),
        sse('fork.event', '{"f":1}'),
        sse('delete', '3'), // no deleteHandler: skipped silently
      ].join(''),
    );
    server.endStreams();
    await done;
    expect(calls).toEqual([
      ['statusUpdate', { id: '1' }],
      ['filtersChanged'],
      ['announcement', { id: '2' }],
      ['announcementReaction', { name: 'x', count: 1, announcement_id: '2' }],
      ['announcementDelete', '2'],
      ['encryptedMessage (misspelt alias)', { e: 1 }],
      ['unknown', 'notifications_merged', 1],
      ['unknown', 'fork.event', { f: 1 }],
    ]);
  });

  it.each([
    // Mastodon.py takes the handlers positionally too: from JavaScript this made a listener that called nothing.
    ['a function, as Python passes the first handler', () => undefined, 'handlers must be an object such as { updateHandler } (got function)'],
    ['null', null, 'handlers must be an object such as { updateHandler } (got null)'],
    ["Mastodon.py's snake_case name", { update_handler: () => undefined }, "update_handler is Mastodon.py's name; here it is updateHandler"],
    // Python refuses an unexpected keyword; these made a listener that never called the handler.
    ['a misspelt name', { udpateHandler: () => undefined }, 'udpateHandler is no option of CallbackStreamListener'],
    ['a name in the wrong case', { updatehandler: () => undefined }, 'updatehandler is no option of CallbackStreamListener'],
    ["StreamListener's method name", { onUpdate: () => undefined }, 'onUpdate is no option of CallbackStreamListener'],
    ['a handler for an event that goes to unknownEventHandler', { notificationsMergedHandler: () => undefined }, 'notificationsMergedHandler is no option of CallbackStreamListener'],
    ["a hook's name (those are stream options)", { heartbeatHandler: () => undefined }, 'heartbeatHandler is no option of CallbackStreamListener'],
  ])('refuses %s as its handlers (JavaScript; the types refuse it too)', (_, handlers, message) => {
    expect(() => new CallbackStreamListener(handlers as never)).toThrow(MastodonIllegalArgumentError);
    expect(() => new CallbackStreamListener(handlers as never)).toThrow(message);
  });

  it('still takes no handlers, an empty object, a handler set to undefined, and fields that are no handler names', () => {
    const config = { retry_count: 3, _seen: new Set<string>(), one: 1, online: true, handlers: [] };
    const handlers = [undefined, {}, { updateHandler: undefined }, { ...config, updateHandler: () => undefined }];
    for (const given of handlers) expect(new CallbackStreamListener(given as never)).toBeInstanceOf(StreamListener);
  });

  it("takes every handler name of Mastodon.py's CallbackStreamListener (listener-port.md §8), the misspelt alias too", () => {
    const names = ['update', 'localUpdate', 'delete', 'notification', 'conversation', 'unknownEvent', 'statusUpdate', 'filtersChanged', 'announcement', 'announcementReaction', 'announcementDelete', 'encryptedMessage', 'encrytedMessage'];
    for (const name of names) expect(new CallbackStreamListener({ [`${name}Handler`]: () => undefined })).toBeInstanceOf(StreamListener);
  });
});
