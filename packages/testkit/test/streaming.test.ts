import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { StreamReader, sleep } from './sse-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<StreamReader>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function open(path: string, token?: string): Promise<StreamReader> {
  const reader = await StreamReader.open(`${perTest.current().url}${path}`, token);
  perTest.track(reader);
  return reader;
}

describe('routing and authentication', () => {
  it('selects the :media variant by the only_media truthiness rule', async () => {
    const s = await start();
    const cases: Array<[string, string]> = [
      ['true', 'public:media'], ['1', 'public:media'], ['yes', 'public:media'], ['False', 'public:media'],
      ['0', 'public'], ['f', 'public'], ['false', 'public'], ['FALSE', 'public'], ['off', 'public'], ['OFF', 'public'], ['', 'public'],
    ];
    for (const [value, stream] of cases) {
      const reader = await open(`/api/v1/streaming/public/local?only_media=${value}`);
      const connection = await s.waitForConnection((c) => !c.isClosed && c.url.endsWith(`only_media=${value}`));
      expect(connection.stream, `only_media=${value}`).toBe(stream === 'public' ? 'public:local' : 'public:local:media');
      reader.close();
      await connection.closed;
    }
  });

  it('normalises tags (NFKC, lower-case, Latin accents folded, # stripped)', async () => {
    const s = await start();
    const reader = await open(`/api/v1/streaming/hashtag?${new URLSearchParams({ tag: '#Café' })}`);
    const connection = await s.waitForConnection();
    expect(connection.tag).toBe('cafe');
    s.postStatus({}, { tags: ['CAFE'] });
    await reader.untilEvents(1);
    expect(reader.events[0]?.event).toBe('update');
  });

  it('takes the token from Authorization first, then access_token; the header wins', async () => {
    const s = await start();
    const viaQuery = await fetch(`${s.url}/api/v1/streaming/user?access_token=peer-test-token`);
    expect(viaQuery.status).toBe(200);
    await viaQuery.body?.cancel();
    const headerWins = await fetch(`${s.url}/api/v1/streaming/user?access_token=peer-test-token`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(headerWins.status).toBe(401);
    expect(await headerWins.text()).toBe('{"error":"Invalid access token"}');
    const notBearer = await fetch(`${s.url}/api/v1/streaming/user`, { headers: { Authorization: 'bearer peer-test-token' } });
    expect(notBearer.status).toBe(401);
    await notBearer.text();
  });

  it('checks scopes per stream and gates notifications on the user stream', async () => {
    const s = await start({
      tokens: {
        statuses: { accountId: '1001', scopes: ['read:statuses'] },
        notifications: { accountId: '1001', scopes: ['read:notifications'] },
      },
    });
    const refused = await fetch(`${s.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer notifications' } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('{"error":"Access token does not have the required scopes"}');

    const user = await open('/api/v1/streaming/user', 'statuses');
    const onlyNotifications = await open('/api/v1/streaming/user/notification', 'notifications');
    await s.waitForConnectionCount(2);
    await s.waitForConnection((c) => c.stream === 'user');
    await s.waitForConnection((c) => c.stream === 'user:notification');
    s.notify('1001');
    s.postStatus({}, { homeOf: ['1001'] });
    await onlyNotifications.untilEvents(1);
    await user.untilEvents(1);
    await sleep(50);
    expect(user.events.map((e) => e.event)).toEqual(['update']);
    expect(onlyNotifications.events.map((e) => e.event)).toEqual(['notification']);
  });

  it('records every request so tests can check the token never travels in a URL', async () => {
    const s = await start();
    await open('/api/v1/streaming/public');
    await s.waitForConnection();
    const hit = s.requests.find((request) => request.path === '/api/v1/streaming/public');
    expect(hit?.status).toBe(200);
    expect(hit?.headers.authorization).toBe('Bearer peer-test-token');
    expect(s.requests.every((request) => !request.url.includes('peer-test-token'))).toBe(true);
    expect(s.totalConnections).toBe(1);
  });
});

describe('fan-out (protocol.md §2) and payload rules (§7–§8)', () => {
  it('routes a local tagged status to home, public, public:local and hashtag streams only', async () => {
    const s = await start();
    const paths: Record<string, [string, string]> = {
      aliceHome: ['/api/v1/streaming/user', 'peer-test-token'],
      bobHome: ['/api/v1/streaming/user', 'peer-test-token-bob'],
      public: ['/api/v1/streaming/public', 'peer-test-token'],
      local: ['/api/v1/streaming/public/local', 'peer-test-token'],
      remote: ['/api/v1/streaming/public/remote', 'peer-test-token'],
      media: ['/api/v1/streaming/public?only_media=true', 'peer-test-token'],
      tag: ['/api/v1/streaming/hashtag?tag=Rust', 'peer-test-token'],
      tagLocal: ['/api/v1/streaming/hashtag/local?tag=rust', 'peer-test-token'],
      otherTag: ['/api/v1/streaming/hashtag?tag=go', 'peer-test-token'],
      list: ['/api/v1/streaming/list?list=42', 'peer-test-token'],
    };
    const r: Record<string, StreamReader> = {};
    for (const [name, [path, token]] of Object.entries(paths)) r[name] = await open(path, token);
    await s.waitForConnectionCount(Object.keys(paths).length);
    for (const connection of [...s.connections]) await s.waitForConnection((c) => c.id === connection.id);

    const local = s.postStatus({ content: '<p>hello #rust</p>' }, { tags: ['rust'] });
    const remote = s.postStatus({}, { account: 'carol', media: 1, inListIds: ['42'], homeOf: ['1001'] });
    s.postStatus({}, { visibility: 'unlisted', tags: ['rust'], homeOf: [] });
    s.deleteStatus(local.id);
    await sleep(100);

    const ids = (name: string): string[] =>
      (r[name]?.events ?? []).map((e) => (e.event === 'delete' ? `delete:${e.data}` : `${e.event}:${JSON.parse(e.data).id}`));
    expect(ids('aliceHome')).toEqual([`update:${local.id}`, `update:${remote.id}`, `delete:${local.id}`]);
    expect(ids('bobHome')).toEqual([`update:${local.id}`, `delete:${local.id}`]);
    expect(ids('public')).toEqual([`update:${local.id}`, `update:${remote.id}`, `delete:${local.id}`]);
    expect(ids('local')).toEqual([`update:${local.id}`, `delete:${local.id}`]);
    expect(ids('remote')).toEqual([`update:${remote.id}`]);
    expect(ids('media')).toEqual([`update:${remote.id}`]);
    expect(ids('tag')).toEqual([`update:${local.id}`, `delete:${local.id}`]);
    expect(ids('tagLocal')).toEqual([`update:${local.id}`, `delete:${local.id}`]);
    expect(ids('otherTag')).toEqual([]);
    expect(ids('list')).toEqual([`update:${remote.id}`]);

    const publicData = r['public']?.events[0]?.data ?? '';
    expect(publicData.endsWith(',"filtered":[]}')).toBe(true);
    expect(JSON.parse(publicData)).not.toHaveProperty('favourited');
    // Rails renders home and list payloads for their owner (InlineRenderer with the account), so
    // REST::StatusSerializer's `filtered` is there; the streaming server adds nothing on these streams.
    const homeData = JSON.parse(r['aliceHome']?.events[0]?.data ?? '{}') as Record<string, unknown>;
    expect(homeData['filtered']).toEqual([]);
    expect(homeData['favourited']).toBe(false);
    expect(JSON.parse(r['list']?.events[0]?.data ?? '{}')['filtered']).toEqual([]);
    expect(BigInt(remote.id)).toBeGreaterThan(BigInt(local.id));
    expect(BigInt(local.id)).toBeGreaterThan(2n ** 53n);
  });

  it('edits fan out as status.update with edited_at, notifications and conversations reach their account', async () => {
    const s = await start();
    const home = await open('/api/v1/streaming/user');
    const direct = await open('/api/v1/streaming/direct');
    const bob = await open('/api/v1/streaming/user/notification', 'peer-test-token-bob');
    await s.waitForConnectionCount(3);
    await s.waitForConnection((c) => c.stream === 'direct');
    await s.waitForConnection((c) => c.stream === 'user:notification');
    await s.waitForConnection((c) => c.stream === 'user');
    const status = s.postStatus({}, { homeOf: ['1001'] });
    const edited = s.editStatus(status.id, { content: '<p>edited</p>' });
    const first = s.notify('1001', { type: 'favourite' });
    const second = s.notify('1001', { type: 'follow' });
    s.conversation('1001', { id: '77' });
    await home.untilEvents(4);
    await direct.untilEvents(1);
    expect(home.events.map((e) => e.event)).toEqual(['update', 'status.update', 'notification', 'notification']);
    expect(edited.edited_at).not.toBeNull();
    expect(JSON.parse(home.events[1]?.data ?? '{}').content).toBe('<p>edited</p>');
    expect(Number(second.id)).toBe(Number(first.id) + 1);
    expect(first.group_key).toBe(`favourite-${status.id}-${Math.floor(Date.parse(first.created_at) / 3_600_000)}`); // Notification::Groups
    expect(first['status']).toBeDefined();
    expect(second['status']).toBeUndefined();
    expect(direct.events).toEqual([{ event: 'conversation', data: expect.stringContaining('"id":"77"') }]);
    expect(bob.events).toEqual([]);
  });

  it("a direct status reaches, by default, only its author's and its mentioned accounts' homes, never a bystander's (FanOutOnWriteService)", async () => {
    const s = await start();
    const alice = await open('/api/v1/streaming/user');
    const bob = await open('/api/v1/streaming/user', 'peer-test-token-bob');
    await s.waitForConnectionCount(2);
    const toNobody = s.postStatus({ content: '<p>a note to self</p>' }, { visibility: 'direct' });
    const toBob = s.postStatus({ content: '<p>@bob psst</p>', mentions: [{ id: '1002', username: 'bob', acct: 'bob', url: 'https://mastodon.example/@bob' }] }, { visibility: 'direct' });
    const followersOnly = s.postStatus({}, { visibility: 'private' });
    s.publish('user', 'filters_changed', 'marker'); // every user stream's last event
    const ids = (reader: StreamReader) => reader.events.filter((event) => event.event === 'update').map((event) => (JSON.parse(event.data) as { id: string }).id);
    await Promise.all([alice.untilEvents(4), bob.untilEvents(3)]);
    expect(ids(alice)).toEqual([toNobody.id, toBob.id, followersOnly.id]);
    expect(ids(bob)).toEqual([toBob.id, followersOnly.id]);
    const bobsHome = await fetch(`${s.url}/api/v1/timelines/home`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(((await bobsHome.json()) as Array<{ id: string }>).map((status) => status.id)).toEqual([followersOnly.id, toBob.id]);
  });

  it('a deleted direct status sends no delete to the direct stream (4.5 publishes none to timeline:direct)', async () => {
    // Mastodon 4.5's RemoveStatusService publishes deletes to home, mentions, lists, hashtags and public only;
    // the direct stream learns of a deletion through its conversation, streamed again at the previous message.
    const s = await start();
    const mine = await open('/api/v1/streaming/direct');
    const user = await open('/api/v1/streaming/user');
    await s.waitForConnectionCount(2);
    const message = s.postStatus({}, { visibility: 'direct', homeOf: ['1001'] });
    s.deleteStatus(message.id);
    // Markers: each stream's last event, so what came before it is all there is.
    s.conversation('1001', { id: '78' });
    s.publish('user', 'filters_changed', 'x');
    await mine.untilEvents(2);
    await user.untilEvents(3);
    // Posting the note to self made alice's conversation (deliver_to_conversation!); its deletion destroys it unpushed.
    expect(mine.events).toEqual([
      { event: 'conversation', data: expect.stringContaining(`"last_status":{"id":"${message.id}"`) },
      { event: 'conversation', data: expect.stringContaining('"id":"78"') },
    ]);
    // The user stream (home) still gets the update and its delete: the comparison shows the delete was sent.
    expect(user.events.map((event) => event.event)).toEqual(['update', 'delete', 'filters_changed']);
  });

  it("a deleted direct status moves each conversation it ended back to its previous message, streamed on direct, or removes one it was alone in (AccountConversation.remove_status)", async () => {
    const s = await start();
    const direct = await open('/api/v1/streaming/direct');
    await s.waitForConnection();
    const dm = (text: string) => s.postStatus({ content: `<p>@alice ${text}</p>` }, { account: 'bob', visibility: 'direct', homeOf: ['1001'] });
    const [first, second, alone, older, newer] = [dm('one'), dm('two'), dm('alone'), dm('older'), dm('newer')];
    s.conversation('1001', { id: '10', last_status: first });
    s.conversation('1001', { id: '10', last_status: second, unread: false });
    s.conversation('1001', { id: '11', last_status: alone });
    s.conversation('1001', { id: '12', last_status: older });
    s.conversation('1001', { id: '12', last_status: newer });
    await direct.untilEvents(5);
    s.deleteStatus(second!.id); // conversation 10 goes back to `one`, still read
    s.deleteStatus(alone!.id); // conversation 11 is destroyed, which Mastodon does not push
    s.deleteStatus(older!.id); // not conversation 12's newest: saved all the same, so streamed as it is
    s.postStatus({}, { account: 'bob', homeOf: ['1001'] }); // a public status touches no conversation
    s.conversation('1001', { id: '99' }); // marker: the last event
    await direct.untilEvents(8);
    const streamed = direct.events.slice(5).map((event) => JSON.parse(event.data) as { id: string; unread: boolean; last_status: { id: string } | null });
    expect(streamed.map((conversation) => [conversation.id, conversation.last_status?.id, conversation.unread])).toEqual([
      ['10', first!.id, false],
      ['12', newer!.id, true],
      ['99', undefined, true],
    ]);
    const response = await fetch(`${s.url}/api/v1/conversations`, { headers: { Authorization: 'Bearer peer-test-token' } });
    const listed = (await response.json()) as Array<{ id: string; last_status: { id: string } | null }>;
    expect(listed.map((conversation) => [conversation.id, conversation.last_status?.id]).sort()).toEqual([
      ['10', first!.id],
      ['12', newer!.id],
      ['99', undefined],
    ]);
  });

  it('drops payload-less and unparsable updates like 4.5.7; filters_changed follows its mode', async () => {
    for (const [mode, expected] of [['drop', null], ['undefined', 'undefined'], ['verbatim', '']] as const) {
      const s = await start({ filtersChanged: mode });
      const user = await open('/api/v1/streaming/user');
      const pub = await open('/api/v1/streaming/public');
      await s.waitForConnectionCount(2);
      await s.waitForConnection((c) => c.stream === 'user');
      await s.waitForConnection((c) => c.stream === 'public');
      s.publish('user', 'filters_changed');
      s.publish('public', 'update', 'not json');
      s.publish('public', 'update');
      s.publish('user', 'filters_changed', 'x');
      s.publish('public', 'custom_event', { a: 1 });
      await user.untilEvents(expected === null ? 1 : 2);
      await pub.untilEvents(1);
      const filterEvents = user.events.map((e) => e.data);
      expect(filterEvents).toEqual(expected === null ? ['x'] : [expected, 'x']);
      expect(pub.events).toEqual([{ event: 'custom_event', data: '{"a":1}' }]);
      await perTest.closeAll();
    }
  });

  it('holds events until subscribed when subscribeDelayMs is set', async () => {
    const s = await start({ subscribeDelayMs: 150 });
    const reader = await open('/api/v1/streaming/public');
    await s.waitForConnectionCount(1);
    expect(s.connections[0]?.isSubscribed).toBe(false);
    expect(s.publish('public', 'custom', 'early')).toBe(0);
    await s.waitForConnection();
    expect(s.publish('public', 'custom', 'late')).toBe(1);
    await reader.untilEvents(1);
    expect(reader.events.map((e) => e.data)).toEqual(['late']);
  });
});

describe('wire variants', () => {
  it('writes :thump\\n\\n heartbeats in double style and whole events in one chunk', async () => {
    const s = await start({ heartbeatIntervalMs: 80, heartbeatStyle: 'double', eventWrites: 'one' });
    const capture = await RawCapture.open(s.port, getRequest('/api/v1/streaming/public', { Authorization: 'Bearer peer-test-token' }));
    try {
      await s.waitForConnection();
      s.publish('public', 'delete', '5');
      await capture.waitFor((text) => text.includes('8\r\n:thump\n\n\r\n'));
      expect(capture.text()).toContain('\r\n3\r\n:)\n\r\n17\r\nevent: delete\ndata: 5\n\n\r\n');
    } finally {
      capture.close();
    }
  });
});
