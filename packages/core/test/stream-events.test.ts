import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonMalformedEventError, type TootstreamError } from '../src/errors.js';
import type { MastodonEvent } from '../src/events.js';
import type { StreamOptions } from '../src/options.js';
import { take } from './support/collect.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(options: StreamOptions = {}, serverOptions: Parameters<typeof createFakeMastodon>[0] = {}, name: 'user' | 'public' = 'user') {
  server = await createFakeMastodon(serverOptions);
  const client = createClient({ url: server.url, accessToken: TOKEN });
  const stream = name === 'user' ? client.user(options) : client.public({}, options);
  const iterator = stream[Symbol.asyncIterator]();
  const first = iterator.next();
  await server.waitForConnection();
  return { server, stream, iterator, first };
}

describe('typed events on every stream', () => {
  it('delivers every event type of the user stream with its typed payload and label', async () => {
    const errors: TootstreamError[] = [];
    const { server, iterator, first } = await open({ onError: (error) => errors.push(error) }, { filtersChanged: 'undefined' });
    const status = server.postStatus({ content: '<p>hello ☃ 👋</p>' }, { account: 'alice' });
    server.editStatus(status.id, { content: '<p>edited</p>' });
    server.notify('1001', { type: 'mention' });
    server.publish('user', 'notifications_merged', '1');
    server.publish('user', 'filters_changed');
    server.publish('user', 'announcement', { id: '5', content: '<p>a</p>', published_at: '2026-11-28T11:19:33.000Z', updated_at: '2026-11-28T11:19:33.000Z', starts_at: null, ends_at: null, all_day: false, mentions: [], statuses: [], tags: [], emojis: [], reactions: [] });
    server.publish('user', 'announcement.reaction', { name: '👍', count: 1, announcement_id: '5' });
    server.publish('user', 'announcement.delete', '5');
    server.publish('user', 'encrypted_message', { id: '1' });
    server.publish('user', 'glitch.custom', '{"hello":"world"}');
    server.deleteStatus(status.id);
    const firstEvent = (await first).value as MastodonEvent;
    const events = [firstEvent, ...(await take(iterator, 10))];
    expect(events.map((event) => event.event)).toEqual([
      'update',
      'status.update',
      'notification',
      'notifications_merged',
      'filters_changed',
      'announcement',
      'announcement.reaction',
      'announcement.delete',
      'encrypted_message',
      'unknown',
      'delete',
    ]);
    for (const event of events) {
      expect(event.stream).toEqual(['user']);
      expect(event.source).toBe('live');
    }
    const [update, edit, notification, merged, filters, , reaction, announcementDelete, encrypted, unknown, deletion] = events;
    if (update?.event !== 'update' || edit?.event !== 'status.update' || notification?.event !== 'notification') throw new Error('narrowing');
    expect(update.payload.id).toBe(status.id);
    expect(update.payload.content).toBe('<p>hello ☃ 👋</p>');
    expect(edit.payload.edited_at).toEqual(expect.any(String));
    expect(notification.payload.type).toBe('mention');
    expect(merged).toMatchObject({ payload: '1' });
    expect(filters).toMatchObject({ event: 'filters_changed', payload: undefined });
    expect(reaction).toMatchObject({ payload: { name: '👍', count: 1, announcement_id: '5' } });
    expect(announcementDelete).toMatchObject({ payload: '5' });
    expect(encrypted).toMatchObject({ payload: { id: '1' } });
    expect(unknown).toEqual({ event: 'unknown', name: 'glitch.custom', data: '{"hello":"world"}', stream: ['user'], source: 'live' });
    expect(deletion).toMatchObject({ event: 'delete', payload: status.id });
    expect(errors).toEqual([]);
    await iterator.return?.();
  });

  it('reports an encrypted_message whose data is not JSON as malformed, like any JSON event, and streams on', async () => {
    const errors: TootstreamError[] = [];
    const { server, iterator, first } = await open({ onError: (error) => errors.push(error) });
    server.publish('user', 'encrypted_message', 'not json');
    server.publish('user', 'encrypted_message', { id: '2' });
    expect((await first).value).toMatchObject({ event: 'encrypted_message', payload: { id: '2' } });
    expect(errors).toEqual([expect.objectContaining({ code: 'MALFORMED_EVENT', eventName: 'encrypted_message', data: 'not json', issues: [] })]);
    await iterator.return?.();
  });

  it.each([
    ['user:notification', ['user:notification']],
    ['hashtag', ['hashtag', 'Rust']],
    ['list', ['list', '42']],
    ['direct', ['direct']],
  ] as const)('labels %s events like the WebSocket API', async (name, label) => {
    server = await createFakeMastodon();
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const params = name === 'hashtag' ? { tag: 'Rust' } : name === 'list' ? { list: '42' } : {};
    const iterator = client.stream(name, params)[Symbol.asyncIterator]();
    const first = iterator.next();
    await server.waitForConnection();
    if (name === 'user:notification') server.notify('1001');
    else if (name === 'direct') server.conversation('1001');
    else server.postStatus({}, { account: 'alice', tags: ['rust'], inListIds: ['42'] });
    const { value } = await first;
    expect(value?.stream).toEqual(label);
    expect(value?.event).toBe(name === 'user:notification' ? 'notification' : name === 'direct' ? 'conversation' : 'update');
    await iterator.return?.();
  });

  it('keeps ids beyond 2^53 exact, in payloads and in bare-id events', async () => {
    const { server, iterator, first } = await open();
    const huge = '117693793801674262999';
    server.publish('user', 'delete', huge);
    server.publish('user', 'delete', `"${huge}1"`);
    server.publish('user', 'update', `{"id":"${huge}2","created_at":"2026-11-28T11:19:33.000Z","content":"","visibility":"public","account":{"id":"${huge}","acct":"alice"},"reblog":null,"media_attachments":[]}`);
    const events = [(await first).value, ...(await take(iterator, 2))];
    expect(events.map((event) => (event?.event === 'update' ? event.payload.id : event?.event === 'delete' ? event.payload : undefined))).toEqual([huge, `${huge}1`, `${huge}2`]);
    const update = events[2];
    expect(update?.event === 'update' && update.payload.account.id).toBe(huge);
    await iterator.return?.();
  });

  it('accepts any event on any stream: an edit on user:notification, a fork event on public, data without event: as an unknown `message` (protocol.md §7 notes 4, 5; sse-transport.md §1.4)', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const notifications = client.userNotification()[Symbol.asyncIterator]();
    const publicStream = client.public()[Symbol.asyncIterator]();
    const edit = notifications.next();
    const publicEvents = take(publicStream, 2);
    await server.waitForConnectionCount(2);
    const status = { id: '201', created_at: '2026-11-28T11:19:33.000Z', content: '<p>v2</p>', visibility: 'public', account: { id: '1', acct: 'alice' }, reblog: null, media_attachments: [], edited_at: '2026-11-28T11:20:00.000Z' };
    server.publish('user:notification', 'status.update', status);
    server.publish('public', 'hometown.local_only', '{"id":"7"}');
    server.pushRaw('data: no name\n\n', (connection) => connection.stream === 'public');
    expect((await edit).value).toMatchObject({ event: 'status.update', payload: { id: '201' }, stream: ['user:notification'] });
    expect(await publicEvents).toEqual([
      { event: 'unknown', name: 'hometown.local_only', data: '{"id":"7"}', stream: ['public'], source: 'live' },
      { event: 'unknown', name: 'message', data: 'no name', stream: ['public'], source: 'live' },
    ]);
    await notifications.return?.();
    await publicStream.return?.();
  });

  it('accepts filters_changed with no data, "undefined" and any data', async () => {
    const { server, iterator, first } = await open();
    server.pushRaw('event: filters_changed\n\n');
    server.pushRaw('event: filters_changed\ndata: undefined\n\n');
    server.pushRaw('event: filters_changed\ndata: x\n\n');
    const events = [(await first).value, ...(await take(iterator, 2))];
    expect(events.map((event) => event?.event === 'filters_changed' && event.payload)).toEqual([undefined, undefined, 'x']);
    await iterator.return?.();
  });
});

describe('hooks keep stream order', () => {
  it('a heartbeat and a malformed-event report in the middle of one network read reach their hooks between the events around them', async () => {
    const log: string[] = [];
    const { server, iterator, first } = await open(
      { onHeartbeat: (comment) => log.push(`heartbeat ${comment}`), onError: (error) => log.push(`error ${(error as MastodonMalformedEventError).data}`) },
      { heartbeatIntervalMs: 0 },
    );
    const status = (id: string) => JSON.stringify({ id, created_at: '2026-11-28T12:00:00.000Z', content: '', visibility: 'public', account: { id: '1', acct: 'a' }, reblog: null, media_attachments: [] });
    server.trickle(false);
    server.pushRaw(`event: update\ndata: ${status('1')}\n\n:thump\nevent: update\ndata: ${status('2')}\n\nevent: update\ndata: {"id":\n\nevent: update\ndata: ${status('3')}\n\n`);
    const deliver = (event: MastodonEvent | undefined) => log.push(`event ${event?.event === 'update' ? event.payload.id : '?'}`);
    deliver((await first).value);
    for (let index = 0; index < 2; index++) deliver((await iterator.next()).value);
    expect(log).toEqual(['heartbeat )', 'event 1', 'heartbeat thump', 'event 2', 'error {"id":', 'event 3']);
    await iterator.return?.();
  });
});

describe('bad events never end the stream and are never lost silently', () => {
  it('reports malformed JSON and failed validation to onError with the raw text and the failing paths', async () => {
    const errors: TootstreamError[] = [];
    const { server, iterator, first } = await open({ onError: (error) => errors.push(error) });
    server.publish('user', 'update', '{"id": 12,');
    server.publish('user', 'update', '{"id":12,"content":"x"}');
    server.publish('user', 'notification', '[]');
    server.publish('user', 'delete', '');
    const status = server.postStatus({}, { account: 'alice' });
    const { value } = await first;
    expect(value).toMatchObject({ event: 'update', payload: { id: status.id } });
    expect(errors).toHaveLength(4);
    for (const error of errors) expect(error).toBeInstanceOf(MastodonMalformedEventError);
    const [badJson, badShape] = errors as MastodonMalformedEventError[];
    expect(badJson).toMatchObject({ code: 'MALFORMED_EVENT', eventName: 'update', data: '{"id": 12,', issues: [] });
    expect(badJson?.cause).toBeInstanceOf(SyntaxError);
    expect(badShape?.data).toBe('{"id":12,"content":"x"}');
    expect(badShape?.issues.map((issue) => issue.path)).toEqual(['id', 'created_at', 'visibility', 'account', 'reblog', 'media_attachments']);
    expect(badShape?.issues[0]).toEqual({ path: 'id', expected: 'string', received: '12', message: 'Invalid type: Expected string but received 12' });
    // The default onError prints the message alone: it names the first failing field (it said "failed validation").
    expect(badShape?.message).toBe('Malformed "update" event (id: Invalid type: Expected string but received 12)');
    expect(errors[2]?.message).toBe('Malformed "notification" event (id: Invalid type: Expected string but received undefined)');
    expect(errors[3]?.message).toBe('Malformed "delete" event (payload: empty id)');
    expect(badJson?.message).toBe('Malformed "update" event (invalid JSON)');
    await iterator.return?.();
  });

  it("invalidUtf8: 'report' turns an event with invalid UTF-8 into a malformed event; the default replaces it", async () => {
    const errors: TootstreamError[] = [];
    const truncated = new Uint8Array([...new TextEncoder().encode('event: update\ndata: {"id":"'), 0xf0, 0x9f, 0x9a, ...new TextEncoder().encode('"}\n\n')]);
    const reported = await open({ invalidUtf8: 'report', onError: (error) => errors.push(error) });
    reported.server.pushRaw(truncated);
    const status = reported.server.postStatus({}, { account: 'alice' });
    expect((await reported.first).value).toMatchObject({ payload: { id: status.id } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'MALFORMED_EVENT', eventName: 'update', issues: [{ message: 'Malformed UTF-8' }] });
    await reported.iterator.return?.();
    await reported.server.close();

    const replaced = await open({ validate: 'off' });
    replaced.server.pushRaw(truncated);
    expect((await replaced.first).value).toMatchObject({ payload: { id: '\uFFFD' } });
    await replaced.iterator.return?.();
  });

  it("malformedEvents: 'throw' ends the iteration with MastodonMalformedEventError after the events before it", async () => {
    const { server, iterator, first } = await open({ malformedEvents: 'throw' });
    const status = server.postStatus({}, { account: 'alice' });
    server.publish('user', 'update', 'not json');
    expect((await first).value).toMatchObject({ payload: { id: status.id } });
    await expect(iterator.next()).rejects.toBeInstanceOf(MastodonMalformedEventError);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("malformedEvents: 'throw' ends the iteration at the malformed event: nothing after it in the same read is delivered, heartbeats included", async () => {
    const heartbeats: string[] = [];
    const { server, iterator, first } = await open({ malformedEvents: 'throw', onHeartbeat: (text) => heartbeats.push(text) });
    // One write: the malformed event, then a good event and a heartbeat that must not be delivered after it.
    server.pushRaw('event: delete\ndata: 1\n\nevent: update\ndata: not json\n\n:thump\nevent: delete\ndata: 2\n\n');
    expect((await first).value).toMatchObject({ event: 'delete', payload: '1' });
    await expect(iterator.next()).rejects.toBeInstanceOf(MastodonMalformedEventError);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    expect(heartbeats).toEqual([')']);
  });

  it("validate: 'full' delivers a local account's boost, whose application Mastodon renders as null", async () => {
    const errors: TootstreamError[] = [];
    const { server, iterator, first } = await open({ validate: 'full', onError: (error) => errors.push(error) });
    const original = server.postStatus({}, { account: 'carol', homeOf: [] });
    const boost = server.postStatus({ content: '', reblog: original }, { account: 'bob' });
    server.postStatus({}, { account: 'bob' }); // what comes first if the boost is dropped
    const delivered = await first;
    expect(errors).toEqual([]);
    expect(delivered.value).toMatchObject({ event: 'update', payload: { id: boost.id, application: null, reblog: { id: original.id } } });
    await iterator.return?.();
  });

  it("validate: 'full' checks deeply; 'off' trusts the server", async () => {
    const errors: TootstreamError[] = [];
    const shallowOk = '{"id":"1","created_at":"x","content":"","visibility":"public","account":{"id":"2","acct":"a"},"reblog":null,"media_attachments":[]}';
    const full = await open({ validate: 'full', onError: (error) => errors.push(error) });
    full.server.publish('user', 'update', shallowOk);
    full.server.postStatus({}, { account: 'alice' });
    expect((await full.first).value?.event).toBe('update');
    expect(errors).toHaveLength(1);
    await full.iterator.return?.();
    await full.server.close();

    const off = await open({ validate: 'off' });
    off.server.publish('user', 'update', '{"anything":true}');
    expect((await off.first).value).toMatchObject({ event: 'update', payload: { anything: true } });
    await off.iterator.return?.();
  });
});

describe('heartbeats', () => {
  it.each(['single', 'double'] as const)('reaches onHeartbeat for %s-LF heartbeats and never yields an empty event', async (heartbeatStyle) => {
    const comments: string[] = [];
    const { server, stream, iterator, first } = await open({ onHeartbeat: (comment) => comments.push(comment) }, { heartbeatIntervalMs: 20, heartbeatStyle });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const status = server.postStatus({}, { account: 'alice' });
    expect((await first).value).toMatchObject({ event: 'update', payload: { id: status.id } });
    expect(comments[0]).toBe(')');
    expect(comments.filter((comment) => comment === 'thump').length).toBeGreaterThanOrEqual(2);
    expect(stream.stats.lastHeartbeatAt).toEqual(expect.any(Number));
    await iterator.return?.();
  });
});
