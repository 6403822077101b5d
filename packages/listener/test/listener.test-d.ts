import type * as core from '@tootstream/core';
import type { Status as CoreStatus, TootstreamError } from '@tootstream/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  CallbackStreamListener,
  DEFAULT_STREAM_OPTIONS,
  Mastodon,
  MastodonAPIError,
  MastodonError,
  MastodonIOError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonNotFoundError,
  MastodonRatelimitError,
  MastodonReadTimeout,
  MastodonServerError,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  StreamHandle,
  StreamListener,
  type CallbackHandlers,
  type ForStream,
  type HttpErrorDetails,
  type MalformedEventReason,
  type Status,
  type StreamCallOptions,
  type GapInfo,
  type MediaAttachment,
  type Report,
  type StreamState,
  type ValidationMode,
} from '@tootstream/listener';

declare const mastodon: Mastodon;
declare const listener: StreamListener;

describe("core's types", () => {
  it('are named from the listener too, for an app that depends on it alone', () => {
    expectTypeOf<MediaAttachment>().toEqualTypeOf<core.MediaAttachment>();
    expectTypeOf<Report>().toEqualTypeOf<core.Report>();
    expectTypeOf<GapInfo>().toEqualTypeOf<core.GapInfo>();
    expectTypeOf<StreamState>().toEqualTypeOf<core.StreamState>();
    expectTypeOf<ValidationMode>().toEqualTypeOf<core.ValidationMode>();
    expectTypeOf(new Mastodon({ apiBaseUrl: 'mastodon.example', streamDefaults: { onGap: (gap: GapInfo) => void gap.kinds } })).toEqualTypeOf<Mastodon>();
  });
});

describe('stream methods', () => {
  it('return Promise<void> in blocking mode and Promise<StreamHandle> with runAsync: true (listener-port.md §2)', () => {
    expectTypeOf(mastodon.streamUser(listener)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamUser(listener, { runAsync: false, timeout: 10 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamUser(listener, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 1 })).toEqualTypeOf<Promise<StreamHandle>>();
    expectTypeOf(mastodon.streamPublic(listener, { local: true, runAsync: true })).toEqualTypeOf<Promise<StreamHandle>>();
    expectTypeOf(mastodon.streamHashtag('rust', listener, { local: true })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamList('42', listener, { runAsync: true })).toEqualTypeOf<Promise<StreamHandle>>();
    expectTypeOf(mastodon.streamDirect(listener)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamUserNotification(listener, { runAsync: true })).toEqualTypeOf<Promise<StreamHandle>>();
    expectTypeOf(mastodon.streamLocal(listener)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamHealthy()).toEqualTypeOf<Promise<boolean>>();
  });

  it('return the union when runAsync is only known at run time', () => {
    const options: StreamCallOptions = { runAsync: Math.random() > 0.5 } as StreamCallOptions;
    expectTypeOf(mastodon.streamUser(listener, options)).toEqualTypeOf<Promise<void | StreamHandle>>();
  });

  it('accept a list id, a numeric id or a list entity', () => {
    expectTypeOf(mastodon.streamList).toBeCallableWith(42, listener);
    expectTypeOf(mastodon.streamList).toBeCallableWith({ id: '42', title: 'friends' }, listener);
    // @ts-expect-error a list needs an id
    mastodon.streamList({ title: 'friends' }, listener);
  });

  it('reject options that do not exist', () => {
    // @ts-expect-error Python's snake_case names are not accepted
    mastodon.streamUser(listener, { run_async: true });
    // @ts-expect-error `local` belongs to streamPublic and streamHashtag
    mastodon.streamUser(listener, { local: true });
    // @ts-expect-error local and remote are alternatives (the call refuses both), in either mode
    mastodon.streamPublic(listener, { local: true, remote: true });
    // @ts-expect-error also with runAsync
    mastodon.streamPublic(listener, { local: true, remote: true, runAsync: true });
    const flag = Math.random() > 0.5;
    expectTypeOf(mastodon.streamPublic(listener, { local: flag, remote: !flag, onlyMedia: true })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamPublic(listener, { local: true, remote: false, runAsync: true })).toEqualTypeOf<Promise<StreamHandle>>();
    // @ts-expect-error streamLocal is the local timeline: `remote` contradicts it (onlyMedia is its one flag)
    mastodon.streamLocal(listener, { remote: true });
    expectTypeOf(mastodon.streamLocal).toBeCallableWith(listener, { onlyMedia: true });
    // @ts-expect-error reconnectAsync does nothing in blocking mode (Mastodon.py ignores it there too)
    mastodon.streamUser(listener, { reconnectAsync: true });
    // @ts-expect-error stopOnHandlerError does nothing in blocking mode: a handler's error always ends the call
    mastodon.streamUser(listener, { runAsync: false, stopOnHandlerError: true });
    expectTypeOf(mastodon.streamUser).toBeCallableWith(listener, { reconnectAsync: false, stopOnHandlerError: false });
  });

  it("take in streamDefaults only the core options that reach the listener's streams", () => {
    // @ts-expect-error validation is each call's `validate` (the listener sets it on every stream)
    new Mastodon({ apiBaseUrl: 'mastodon.example', streamDefaults: { validate: 'full' } });
    // @ts-expect-error onError is the listener's own (StreamListener.onError)
    new Mastodon({ apiBaseUrl: 'mastodon.example', streamDefaults: { onError: () => {} } });
    // @ts-expect-error the listener reconnects by reconnectAsync, not core's policy
    new Mastodon({ apiBaseUrl: 'mastodon.example', streamDefaults: { reconnect: { maxAttempts: 3 } } });
    expectTypeOf(Mastodon).toBeConstructibleWith({ apiBaseUrl: 'mastodon.example', streamDefaults: { maxEventBytes: 65_536, onGap: () => {}, onStateChange: () => {} } });
  });

  it('document the Mastodon.py defaults as literal-typed constants', () => {
    expectTypeOf(DEFAULT_STREAM_OPTIONS.runAsync).toEqualTypeOf<false>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.timeout).toEqualTypeOf<300>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.reconnectAsync).toEqualTypeOf<false>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.reconnectAsyncWaitSec).toEqualTypeOf<5>();
  });
});

describe('StreamHandle', () => {
  it('exposes close, isAlive, isReceiving, closed', () => {
    expectTypeOf<StreamHandle['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<StreamHandle['isAlive']>().toEqualTypeOf<() => boolean>();
    expectTypeOf<StreamHandle['isReceiving']>().toEqualTypeOf<() => boolean>();
    expectTypeOf<StreamHandle['closed']>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<StreamHandle['error']>().toEqualTypeOf<Error | undefined>();
    expectTypeOf<StreamHandle['lastEventAt']>().toEqualTypeOf<number | undefined>();
  });
});

describe('StreamListener', () => {
  it('types the handler arguments', () => {
    expectTypeOf<Status>().toEqualTypeOf<CoreStatus>();
    expectTypeOf<StreamListener['onUpdate']>().parameters.toEqualTypeOf<[Status, ForStream?]>();
    expectTypeOf<StreamListener['onDelete']>().parameters.toEqualTypeOf<[string, ForStream?]>();
    expectTypeOf<StreamListener['onAnnouncementDelete']>().parameters.toEqualTypeOf<[string, ForStream?]>();
    expectTypeOf<StreamListener['onFiltersChanged']>().parameters.toEqualTypeOf<[]>();
    expectTypeOf<StreamListener['onNotificationsMerged']>().parameters.toEqualTypeOf<[]>();
    expectTypeOf<StreamListener['onUnknownEvent']>().parameters.toEqualTypeOf<[string, unknown, ForStream?]>();
    expectTypeOf<StreamListener['onAbort']>().parameters.toEqualTypeOf<[Error, boolean?]>();
    // A port of Mastodon.py's one-argument on_abort still overrides it.
    class PortedLogger extends StreamListener {
      override onAbort(error: Error) {
        super.onAbort(error);
        return error.message;
      }
    }
    expectTypeOf<PortedLogger>().toMatchTypeOf<StreamListener>();
    expectTypeOf<StreamListener['handleHeartbeat']>().parameters.toEqualTypeOf<[]>();
  });

  it('lets subclasses use async handlers and add handlers for new events', () => {
    class Mine extends StreamListener {
      override async onUpdate(status: Status): Promise<void> {
        await Promise.resolve(status.id);
        // @ts-expect-error a handler's entity has only the fields core's type names: a misspelt one does not compile
        void status.contnet;
      }
      onBlahblah(_payload: unknown): void {}
    }
    expectTypeOf(mastodon.streamUser).toBeCallableWith(new Mine());
  });

  it('CallbackStreamListener takes the camelCase handler parameters and is a StreamListener', () => {
    expectTypeOf<CallbackStreamListener>().toExtend<StreamListener>();
    expectTypeOf<keyof CallbackHandlers>().toEqualTypeOf<
      | 'updateHandler'
      | 'localUpdateHandler'
      | 'deleteHandler'
      | 'notificationHandler'
      | 'conversationHandler'
      | 'unknownEventHandler'
      | 'statusUpdateHandler'
      | 'filtersChangedHandler'
      | 'announcementHandler'
      | 'announcementReactionHandler'
      | 'announcementDeleteHandler'
      | 'encryptedMessageHandler'
      | 'encrytedMessageHandler'
    >();
    expectTypeOf<NonNullable<CallbackHandlers['deleteHandler']>>().parameters.toEqualTypeOf<[string]>();
    expectTypeOf<NonNullable<CallbackHandlers['filtersChangedHandler']>>().parameters.toEqualTypeOf<[]>();
  });
});

describe('errors', () => {
  it("keep Mastodon.py's inheritance", () => {
    expectTypeOf<MastodonError>().toExtend<TootstreamError>();
    expectTypeOf<MastodonIOError>().toExtend<MastodonError>();
    expectTypeOf<MastodonNetworkError>().toExtend<MastodonIOError>();
    expectTypeOf<MastodonReadTimeout>().toExtend<MastodonNetworkError>();
    expectTypeOf<MastodonNotFoundError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonUnauthorizedError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonServiceUnavailableError>().toExtend<MastodonServerError>();
    expectTypeOf<MastodonServerError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonRatelimitError>().toExtend<MastodonError>();
    expectTypeOf<MastodonMalformedEventError['reason']>().toEqualTypeOf<MalformedEventReason>();
    expectTypeOf<MastodonAPIError['status']>().toEqualTypeOf<number>();
  });

  it("carry the HTTP details: status, the server's error text, Retry-After, X-Request-Id and the URL that answered", () => {
    expectTypeOf<HttpErrorDetails>().toEqualTypeOf<{
      status: number;
      serverMessage?: string | undefined;
      retryAfterMs?: number | undefined;
      requestId?: string | undefined;
      url?: string | undefined;
    }>();
    expectTypeOf<MastodonAPIError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MastodonAPIError['url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MastodonRatelimitError['url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MastodonRatelimitError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MastodonRatelimitError['serverMessage']>().toEqualTypeOf<string | undefined>();
  });
});

// The repo type-checks with exactOptionalPropertyTypes, as strict projects do.
describe('what apps pass', () => {
  it('options may be undefined where they may be left out', () => {
    const maybeToken = process.env['MASTODON_TOKEN'];
    const mastodon = new Mastodon({ apiBaseUrl: 'https://mastodon.example', accessToken: maybeToken, requestTimeout: undefined });
    expectTypeOf(mastodon.streamUser).toBeCallableWith(new StreamListener(), { timeout: undefined, signal: undefined as AbortSignal | undefined });
  });

  it('a callback may be a concise arrow whose value is ignored', () => {
    const seen: CoreStatus[] = [];
    expectTypeOf<CallbackHandlers>().toHaveProperty('updateHandler');
    const handlers: CallbackHandlers = { updateHandler: (status) => seen.push(status), deleteHandler: undefined };
    expectTypeOf(handlers).toExtend<CallbackHandlers>();
  });

  it('a StreamListener override may return any value, as a callback may', () => {
    class Collector extends StreamListener {
      readonly seen: CoreStatus[] = [];
      override onUpdate(status: CoreStatus) {
        return this.seen.push(status);
      }
      override handleHeartbeat() {
        return 'ignored';
      }
    }
    expectTypeOf(new Collector()).toExtend<StreamListener>();
    expectTypeOf<ReturnType<Collector['onUpdate']>>().toEqualTypeOf<number>();
  });

  it('handleStream takes a body of text chunks as well as bytes', () => {
    async function* text() {
      yield 'event: delete\ndata: 1\n\n';
    }
    const listener = new StreamListener();
    expectTypeOf(listener.handleStream).toBeCallableWith(text());
    expectTypeOf(listener.handleStream).toBeCallableWith(new ReadableStream<string>());
    expectTypeOf(listener.handleStream).toBeCallableWith(new ReadableStream<Uint8Array>());
  });
});
