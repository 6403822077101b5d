import { describe, expectTypeOf, it } from 'vitest';
import {
  checkChaosConnectionOrder,
  checkChaosStreamsClosed,
  createChaosServer,
  createFakeMastodon,
  recordStream,
  type ChaosConnectionOrderOptions,
  type ChaosStreamsClosedOptions,
  type FakeMastodon,
  type FakeMastodonOptions,
  type KeywordFilterOptions,
  type NotifyOptions,
  type PostStatusOptions,
  type PublishTarget,
  type RecordStreamOptions,
  type ReplayOptions,
  type ScriptedFailure,
  type StatusOverrides,
  type TimelinesAccessOptions,
  type ViewerOptions,
} from '@tootstream/testkit';

// The repository compiles with `exactOptionalPropertyTypes`, under which `{ x?: T }` refuses an
// explicit `x: undefined`. Callers often forward their own optional values (`{ timeoutMs:
// opts.timeoutMs }`), so every optional property of the testkit's options says `| undefined`,
// and the fake treats undefined as not given.

declare const server: FakeMastodon;
declare const maybeNumber: number | undefined;
declare const maybeString: string | undefined;
declare const maybeBoolean: boolean | undefined;
declare const maybeType: NonNullable<NotifyOptions['type']> | undefined;

describe('options accept undefined for every optional property', () => {
  it('createFakeMastodon', () => {
    const options = {
      port: undefined,
      heartbeatIntervalMs: maybeNumber,
      heartbeatStyle: undefined,
      eventWrites: undefined,
      tokens: { mine: { accountId: '1001', acct: maybeString, scopes: undefined, revoked: maybeBoolean, appOnly: undefined } },
      lists: undefined,
      streamingPath: maybeString,
      filtersChanged: undefined,
      streamingErrorTexts: undefined,
      subscribeDelayMs: undefined,
      instanceV2: maybeBoolean,
      advertisedStreamingUrl: undefined,
      webSocketPingIntervalMs: undefined,
      webSocketPaths: undefined,
      webSocketMaxPayloadBytes: undefined,
      webSocketCloseTimeoutMs: undefined,
      webSocketSubscribeDelayMs: undefined,
      viewers: undefined,
      timelinesAccess: undefined,
      reorderUpdatesMs: undefined,
      disabledUsers: undefined,
      suspendedAccounts: undefined,
    } satisfies FakeMastodonOptions;
    expectTypeOf(createFakeMastodon).toBeCallableWith(options);
  });

  it('viewers, keyword filters and feed access', () => {
    const filter = { id: '5', title: 'Peer filter', keywords: [{ keyword: 'spoil', wholeWord: maybeBoolean }], context: undefined, action: undefined, expiresAt: undefined } satisfies KeywordFilterOptions;
    const viewer = { languages: undefined, blocks: undefined, mutes: undefined, domainBlocks: undefined, keywordFilters: [filter], canViewDisabledFeeds: maybeBoolean } satisfies ViewerOptions;
    const access = { liveFeeds: { local: undefined, remote: 'disabled' }, hashtagFeeds: undefined, trendingLinkFeeds: { local: undefined } } satisfies TimelinesAccessOptions;
    expectTypeOf(server.viewer('1001').update).toBeCallableWith(viewer);
    expectTypeOf(server.setTimelinesAccess).toBeCallableWith(access);
  });

  it('publishing: postStatus, editStatus, notify and publish', () => {
    const post = { account: undefined, tags: undefined, media: maybeNumber, visibility: undefined, local: maybeBoolean, inListIds: undefined, homeOf: undefined } satisfies PostStatusOptions;
    const overrides = { content: maybeString, language: undefined, in_reply_to_id: undefined, sensitive: maybeBoolean } satisfies StatusOverrides;
    const notify = { type: maybeType, status: undefined, fromAccount: undefined, fields: { created_at: maybeString } } satisfies NotifyOptions;
    const target = { stream: 'list', list: maybeString, tag: undefined, accountId: undefined } satisfies PublishTarget;
    expectTypeOf(server.postStatus).toBeCallableWith(overrides, post);
    expectTypeOf(server.editStatus).toBeCallableWith('1', overrides);
    expectTypeOf(server.notify).toBeCallableWith('1001', notify);
    expectTypeOf(server.publish).toBeCallableWith(target, 'update');
  });

  it('faults, waits, recording and replay', () => {
    const failure = { status: 503, body: undefined, headers: undefined, times: maybeNumber, paths: undefined, delayMs: undefined, holdOpen: maybeBoolean } satisfies ScriptedFailure;
    const recording = { headers: undefined, durationMs: maybeNumber } satisfies RecordStreamOptions;
    const replay = { timeScale: maybeNumber, beforeChunk: undefined, afterLast: undefined, paths: undefined } satisfies ReplayOptions;
    expectTypeOf(server.failNext).toBeCallableWith(failure);
    expectTypeOf(recordStream).toBeCallableWith('http://127.0.0.1/', recording);
    expectTypeOf(server.replayNext).toBeCallableWith('', replay);
    expectTypeOf(server.waitForConnection).toBeCallableWith(undefined, { timeoutMs: maybeNumber });
    expectTypeOf(server.waitForConnectionCount).toBeCallableWith(0, { timeoutMs: maybeNumber });
    expectTypeOf(server.waitForRequest).toBeCallableWith(undefined, { timeoutMs: maybeNumber, fromNow: maybeBoolean });
    expectTypeOf(server.waitForWebSocket).toBeCallableWith(undefined, { timeoutMs: maybeNumber });
    expectTypeOf(server.dropConnections).toBeCallableWith(undefined, { midFrame: maybeBoolean });
    expectTypeOf(server.stall).toBeCallableWith(undefined, { keepHeartbeats: maybeBoolean });
    expectTypeOf(server.stallWebSockets).toBeCallableWith(undefined, { keepPings: maybeBoolean });
    expectTypeOf(server.rateLimitNext).toBeCallableWith({ times: maybeNumber, resetInMs: undefined });
    expectTypeOf(server.restart).toBeCallableWith({ downMs: maybeNumber });
  });

  it('the chaos server and its oracle', () => {
    expectTypeOf(createChaosServer).toBeCallableWith({ seed: 1, connections: maybeNumber, stream: undefined, maxEventBytes: undefined });
    const order = { caughtUpIds: undefined } satisfies ChaosConnectionOrderOptions;
    const closed = { withinMs: maybeNumber } satisfies ChaosStreamsClosedOptions;
    expectTypeOf(checkChaosConnectionOrder).parameter(2).toEqualTypeOf<ChaosConnectionOrderOptions | undefined>();
    expectTypeOf(checkChaosStreamsClosed).parameter(1).toEqualTypeOf<ChaosStreamsClosedOptions | undefined>();
    expectTypeOf(order).toExtend<ChaosConnectionOrderOptions>();
    expectTypeOf(closed).toExtend<ChaosStreamsClosedOptions>();
  });
});
