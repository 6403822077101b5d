import { createClient, isTootstreamError, TootstreamError, type ReconnectPolicy, type TootstreamErrorCode } from '@tootstream/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  DEFAULT_CLIENT_OPTIONS,
  DEFAULT_STREAM_OPTIONS,
  Mastodon,
  MastodonAPIError,
  MastodonBadGatewayError,
  MastodonError,
  MastodonGatewayTimeoutError,
  MastodonIllegalArgumentError,
  MastodonInternalServerError,
  MastodonIOError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonRatelimitError,
  MastodonReadTimeout,
  MastodonVersionError,
  RECONNECT_BACKOFF,
  reconnectPolicyFor,
  StreamHandle,
  StreamListener,
  type NetworkErrorCode,
  type VersionCheckMode,
} from '@tootstream/listener';

declare const caught: unknown;
declare const mastodon: Mastodon;
declare const listener: StreamListener;

describe("the listener's errors", () => {
  it('are core TootstreamErrors: core\'s guard narrows them, and their code is core\'s', () => {
    expectTypeOf<MastodonError>().toExtend<TootstreamError>();
    if (isTootstreamError(caught) && caught instanceof MastodonError) expectTypeOf(caught.code).toEqualTypeOf<TootstreamErrorCode>();
  });

  it('carry the codes each class is made with, so a code check on a caught class narrows (the base classes keep the whole union)', () => {
    expectTypeOf<MastodonIllegalArgumentError['code']>().toEqualTypeOf<'INVALID_ARGUMENT'>();
    expectTypeOf<MastodonVersionError['code']>().toEqualTypeOf<'INVALID_ARGUMENT'>();
    // What core said ended the stream, mapped to Mastodon.py's network error; a read timeout is STALLED.
    expectTypeOf<MastodonNetworkError['code']>().toEqualTypeOf<'NETWORK' | 'STREAM_ENDED' | 'EVENT_TOO_LARGE' | 'STALLED'>();
    expectTypeOf<MastodonNetworkError['code']>().toEqualTypeOf<NetworkErrorCode>();
    expectTypeOf<MastodonReadTimeout['code']>().toEqualTypeOf<'STALLED'>();
    expectTypeOf<MastodonRatelimitError['code']>().toEqualTypeOf<'API'>();
    expectTypeOf<MastodonInternalServerError['code']>().toEqualTypeOf<'API'>();
    expectTypeOf<MastodonBadGatewayError['code']>().toEqualTypeOf<'API'>();
    expectTypeOf<MastodonGatewayTimeoutError['code']>().toEqualTypeOf<'API'>();
    expectTypeOf<MastodonMalformedEventError['code']>().toEqualTypeOf<'MALFORMED_EVENT'>();
    expectTypeOf<MastodonError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonIOError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    // @ts-expect-error a network error is not made with an API code
    new MastodonNetworkError('x', { code: 'API' });
    if (caught instanceof MastodonNetworkError && caught.code === 'STALLED') expectTypeOf(caught.phase).toEqualTypeOf<'connect' | 'read'>();
    const error = new MastodonReadTimeout();
    // @ts-expect-error code is read-only
    error.code = 'NETWORK';
  });

  it('place each class under its Mastodon.py parent, with the fields a handler reads', () => {
    expectTypeOf<MastodonReadTimeout>().toExtend<MastodonNetworkError>();
    expectTypeOf<MastodonVersionError>().toExtend<MastodonError>();
    expectTypeOf<MastodonInternalServerError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonBadGatewayError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonGatewayTimeoutError>().toExtend<MastodonAPIError>();
    expectTypeOf<MastodonRatelimitError['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<MastodonReadTimeout['phase']>().toEqualTypeOf<'connect' | 'read'>();
  });
});

describe("the listener's defaults", () => {
  it('DEFAULT_STREAM_OPTIONS: frozen; spread, runAsync decides the result type', () => {
    expectTypeOf(mastodon.streamUser(listener, { ...DEFAULT_STREAM_OPTIONS })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(mastodon.streamUser(listener, { ...DEFAULT_STREAM_OPTIONS, runAsync: true })).toEqualTypeOf<Promise<StreamHandle>>();
    expectTypeOf(DEFAULT_STREAM_OPTIONS.malformedEvents).toEqualTypeOf<'report' | 'abort'>();
    // @ts-expect-error the defaults are frozen
    DEFAULT_STREAM_OPTIONS.timeout = 60;
  });

  it('DEFAULT_CLIENT_OPTIONS: frozen Mastodon.py defaults, passable to new Mastodon', () => {
    expectTypeOf(DEFAULT_CLIENT_OPTIONS.requestTimeout).toEqualTypeOf<300>();
    expectTypeOf(DEFAULT_CLIENT_OPTIONS.versionCheckMode).toEqualTypeOf<VersionCheckMode>();
    expectTypeOf(Mastodon).toBeConstructibleWith({ apiBaseUrl: 'mastodon.example', ...DEFAULT_CLIENT_OPTIONS });
    // @ts-expect-error the defaults are frozen
    DEFAULT_CLIENT_OPTIONS.requestTimeout = 10;
  });

  it('RECONNECT_BACKOFF: frozen, its numbers literal', () => {
    expectTypeOf(RECONNECT_BACKOFF).toEqualTypeOf<Readonly<{ firstBoundFactor: 2; factor: 2; maxDelayMs: 60_000; resetAfterMs: 60_000; minWaitMs: 50 }>>();
    // @ts-expect-error the backoff is frozen
    RECONNECT_BACKOFF.maxDelayMs = 1_000;
  });

  it("reconnectPolicyFor: seconds in, a partial core ReconnectPolicy out, which core's reconnect option takes", () => {
    expectTypeOf(reconnectPolicyFor).parameters.toEqualTypeOf<[waitSec: number]>();
    expectTypeOf(reconnectPolicyFor).returns.toEqualTypeOf<Partial<ReconnectPolicy>>();
    createClient({ url: 'https://mastodon.example' }).user({ reconnect: reconnectPolicyFor(5) });
  });
});
