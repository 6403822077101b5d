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
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonRatelimitError,
  MastodonReadTimeout,
  MastodonVersionError,
  RECONNECT_BACKOFF,
  reconnectPolicyFor,
  StreamHandle,
  StreamListener,
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

  it("carry core's whole code union, not one literal per class: the classes (instanceof) are the listener's distinction", () => {
    // A network error is also made with STALLED (MastodonReadTimeout), and a version error is an INVALID_ARGUMENT.
    expectTypeOf<MastodonIllegalArgumentError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonVersionError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonNetworkError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonReadTimeout['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonRatelimitError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonInternalServerError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonBadGatewayError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonGatewayTimeoutError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonMalformedEventError['code']>().toEqualTypeOf<TootstreamErrorCode>();
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
