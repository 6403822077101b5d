import { describe, expectTypeOf, it } from 'vitest';
import type { MastodonEventName } from '@tootstream/core';
import {
  createFakeMastodon,
  findChaosTag,
  createChaosServer,
  type ChaosLedger,
  type ChaosServer,
  type ChaosServerOptions,
  formatReads,
  parseReads,
  recordStream,
  type FakeConnection,
  type FakeMastodon,
  type FakeMastodonOptions,
  type FakeViewer,
  type FakeWebSocket,
  type NotificationJson,
  type RecordedChunk,
  type RecordedRequest,
  type ScriptedFailure,
  type StatusJson,
  type StatusOverrides,
  type StreamName,
  type StreamRecording,
  type StreamingEventName,
} from '@tootstream/testkit';

declare const server: FakeMastodon;

describe('createFakeMastodon', () => {
  it('takes optional options and resolves to a FakeMastodon', () => {
    expectTypeOf(createFakeMastodon).parameter(0).toEqualTypeOf<FakeMastodonOptions | undefined>();
    expectTypeOf(createFakeMastodon()).resolves.toEqualTypeOf<FakeMastodon>();
    expectTypeOf({ heartbeatIntervalMs: 0, reorderUpdatesMs: 20, webSocketPingIntervalMs: 50 }).toMatchTypeOf<FakeMastodonOptions>();
    // @ts-expect-error: unknown options are rejected, not ignored
    void createFakeMastodon({ heartbeatIntervalMS: 0 });
  });
});

describe('publishing', () => {
  it('returns the entities it sent', () => {
    expectTypeOf(server.postStatus()).toEqualTypeOf<StatusJson>();
    expectTypeOf(server.postStatus({ language: 'de' }, { account: 'alice', tags: ['rust'] }).id).toEqualTypeOf<string>();
    expectTypeOf(server.notify('1001', { type: 'follow' })).toEqualTypeOf<NotificationJson>();
    // A bot replies to the mention's status, so its id must be reachable without a cast or `!`.
    expectTypeOf(server.notify('1001', { type: 'mention' }).status).toEqualTypeOf<StatusJson>();
    expectTypeOf(server.deleteStatus('1')).toEqualTypeOf<boolean>();
    expectTypeOf(server.publish('public', 'update', {})).toEqualTypeOf<number>();
    // The event name autocompletes the events Mastodon sends (core's names), and takes any other.
    expectTypeOf(server.publish).parameter(1).toEqualTypeOf<StreamingEventName | (string & {})>();
    expectTypeOf<StreamingEventName>().toEqualTypeOf<MastodonEventName>();
    server.publish('user', 'x.custom_event', { id: '1' });
    // @ts-expect-error: an event name is a string
    server.publish('user', 5);
    // @ts-expect-error: an account that the fake does not know by name
    server.postStatus({}, { account: 'mallory' });
  });
});

describe('status overrides', () => {
  it('types the fields of postStatus and editStatus, so a misspelt or mistyped one is caught', () => {
    expectTypeOf(server.postStatus).parameter(0).toEqualTypeOf<StatusOverrides | undefined>();
    expectTypeOf(server.editStatus).parameter(1).toEqualTypeOf<StatusOverrides | undefined>();
    server.postStatus({
      content: '<p>hi</p>',
      in_reply_to_id: null,
      sensitive: true,
      language: 'de',
      mentions: [{ id: '1002', username: 'bob', url: 'https://peer.example/@bob', acct: 'bob' }],
      tags: [{ name: 'rust' }],
      media_attachments: [{ description: 'an image' }],
      poll: { options: [{ title: 'yes' }, { title: 'no' }] },
    });
    server.editStatus('1', { content: '<p>fixed</p>', edited_at: '2026-11-28T11:19:33.000Z' });
    // @ts-expect-error: a misspelt field is a type error, not a key silently appended
    server.postStatus({ contnet: '<p>hi</p>' });
    // @ts-expect-error: `sensitive` is a boolean, as Mastodon renders it
    server.postStatus({ sensitive: 'yes' });
    // @ts-expect-error: a visibility is a string (any name: core's StatusVisibility is open too)
    server.postStatus({ visibility: 5 });
    // @ts-expect-error: a mention needs its id, username, url and acct
    server.postStatus({ mentions: [{ id: '1002' }] });
    // @ts-expect-error: editStatus takes the same fields
    server.editStatus('1', { spoiler_text: 5 });
    // A fork's extra field goes through a cast, on purpose.
    server.postStatus({ content: '<p>x</p>', local_only: true } as StatusOverrides);
  });
});

describe('connections and faults', () => {
  it('exposes SSE connections and WebSockets, and waits for them', () => {
    expectTypeOf(server.connections).toEqualTypeOf<ReadonlyArray<FakeConnection>>();
    expectTypeOf(server.waitForConnection()).resolves.toEqualTypeOf<FakeConnection>();
    expectTypeOf(server.waitForWebSocket()).resolves.toEqualTypeOf<FakeWebSocket>();
    expectTypeOf(server.waitForRequest((request, index) => index > 0 && request.method === 'POST')).resolves.toEqualTypeOf<RecordedRequest>();
    expectTypeOf<RecordedRequest['body']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FakeConnection['stream']>().toEqualTypeOf<StreamName>();
    expectTypeOf<FakeConnection['closed']>().toEqualTypeOf<Promise<void>>();
  });

  it('scripts failures with a status and optional body, headers and scope', () => {
    expectTypeOf(server.failNext).parameter(0).toEqualTypeOf<ScriptedFailure>();
    server.failNext({ status: 503, headers: { 'Retry-After': '2' }, paths: 'rest' });
    // @ts-expect-error: a status is required
    server.failNext({ body: 'x' });
    expectTypeOf(server.restart({ downMs: 100 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(server.restart()).toEqualTypeOf<Promise<void>>(); // down for the default 100 ms
    expectTypeOf(server.close()).toEqualTypeOf<Promise<void>>();
  });

  it('sets up a viewer for server-side filtering', () => {
    expectTypeOf(server.viewer('1001')).toEqualTypeOf<FakeViewer>();
    expectTypeOf(server.viewer('1001').block).parameter(0).toEqualTypeOf<string>();
  });
});

describe('recording and replaying', () => {
  it('round-trips the .reads.txt format and records a live stream', () => {
    expectTypeOf(parseReads('')).toEqualTypeOf<RecordedChunk[]>();
    expectTypeOf(formatReads).parameter(0).toEqualTypeOf<readonly RecordedChunk[]>();
    expectTypeOf(formatReads([])).toEqualTypeOf<string>();
    expectTypeOf(recordStream('http://127.0.0.1/api/v1/streaming/public')).resolves.toEqualTypeOf<StreamRecording>();
    expectTypeOf<RecordedChunk>().toEqualTypeOf<{ atMs: number; bytes: Uint8Array }>();
  });

  it("takes waitFor's timeout as { timeoutMs }, like the server's waits, and as a bare number", () => {
    expectTypeOf<StreamRecording['waitFor']>().parameter(1).toEqualTypeOf<number | { timeoutMs?: number | undefined } | undefined>();
    const recording = {} as StreamRecording;
    void recording.waitFor(() => true, { timeoutMs: 1_000 });
    void recording.waitFor(() => true, 1_000);
    // @ts-expect-error: a misspelt option is caught, not ignored
    void recording.waitFor(() => true, { timeoutMS: 1_000 });
  });
});

describe('the chaos server', () => {
  it('takes a seed and keeps a ledger', () => {
    expectTypeOf(createChaosServer).parameter(0).toEqualTypeOf<ChaosServerOptions>();
    expectTypeOf(createChaosServer({ seed: 1 })).resolves.toEqualTypeOf<ChaosServer>();
    expectTypeOf<ChaosServer['ledger']>().toEqualTypeOf<ChaosLedger>();
    expectTypeOf(findChaosTag('')).toEqualTypeOf<string | undefined>();
    // @ts-expect-error the seed is required: a chaos run must be replayable
    void createChaosServer({});
  });
});
