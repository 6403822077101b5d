import { describe, expectTypeOf, it } from 'vitest';
import {
  isMastodonApiError,
  isMastodonMalformedEventError,
  isMastodonNetworkError,
  isTootstreamError,
  MastodonApiError,
  MastodonArgumentError,
  MastodonContentTypeError,
  MastodonEventTooLargeError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonReconnectExhaustedError,
  MastodonStallError,
  StreamEndedError,
  TootstreamError,
  type AnyTootstreamError,
  type TootstreamErrorCode,
  type ValidationIssue,
} from '../src/index.js';

declare const caught: unknown;

describe('the type guards narrow a caught unknown', () => {
  it('isTootstreamError: to TootstreamError, with its code; nothing else is narrowed', () => {
    expectTypeOf(isTootstreamError).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(isTootstreamError).guards.toEqualTypeOf<TootstreamError>();
    if (isTootstreamError(caught)) {
      expectTypeOf(caught).toEqualTypeOf<TootstreamError>();
      expectTypeOf(caught.code).toEqualTypeOf<TootstreamErrorCode>();
    } else {
      expectTypeOf(caught).toEqualTypeOf<unknown>();
    }
  });

  it('isMastodonApiError: to MastodonApiError, with the HTTP details', () => {
    expectTypeOf(isMastodonApiError).guards.toEqualTypeOf<MastodonApiError>();
    if (isMastodonApiError(caught)) {
      expectTypeOf(caught.code).toEqualTypeOf<'API'>();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
      expectTypeOf(caught.retryAfterMs).toEqualTypeOf<number | undefined>();
      expectTypeOf(caught.serverMessage).toEqualTypeOf<string | undefined>();
    }
  });

  it('isMastodonNetworkError: to MastodonNetworkError, with its phase and reason', () => {
    expectTypeOf(isMastodonNetworkError).guards.toEqualTypeOf<MastodonNetworkError>();
    if (isMastodonNetworkError(caught)) {
      expectTypeOf(caught.code).toEqualTypeOf<'NETWORK'>();
      expectTypeOf(caught.phase).toEqualTypeOf<'connect' | 'read'>();
      expectTypeOf(caught.reason).toEqualTypeOf<string>();
      // @ts-expect-error a network error has no HTTP status
      void caught.status;
    }
  });

  it('isMastodonMalformedEventError: to MastodonMalformedEventError, with the event and its issues', () => {
    expectTypeOf(isMastodonMalformedEventError).guards.toEqualTypeOf<MastodonMalformedEventError>();
    if (isMastodonMalformedEventError(caught)) {
      expectTypeOf(caught.code).toEqualTypeOf<'MALFORMED_EVENT'>();
      expectTypeOf(caught.eventName).toEqualTypeOf<string>();
      expectTypeOf(caught.data).toEqualTypeOf<string>();
      expectTypeOf(caught.issues).toEqualTypeOf<readonly ValidationIssue[]>();
    }
  });
});

describe("each error class's code is its own literal", () => {
  it('one code per class, so a switch on code names the class', () => {
    expectTypeOf<TootstreamError['code']>().toEqualTypeOf<TootstreamErrorCode>();
    expectTypeOf<MastodonArgumentError['code']>().toEqualTypeOf<'INVALID_ARGUMENT'>();
    expectTypeOf<MastodonNetworkError['code']>().toEqualTypeOf<'NETWORK'>();
    expectTypeOf<MastodonApiError['code']>().toEqualTypeOf<'API'>();
    expectTypeOf<MastodonContentTypeError['code']>().toEqualTypeOf<'UNEXPECTED_CONTENT_TYPE'>();
    expectTypeOf<MastodonMalformedEventError['code']>().toEqualTypeOf<'MALFORMED_EVENT'>();
    expectTypeOf<MastodonEventTooLargeError['code']>().toEqualTypeOf<'EVENT_TOO_LARGE'>();
    expectTypeOf<MastodonStallError['code']>().toEqualTypeOf<'STALLED'>();
    expectTypeOf<MastodonReconnectExhaustedError['code']>().toEqualTypeOf<'RECONNECT_EXHAUSTED'>();
    expectTypeOf<StreamEndedError['code']>().toEqualTypeOf<'STREAM_ENDED'>();
  });

  it('the union of the errors a stream reports covers every code', () => {
    expectTypeOf<AnyTootstreamError['code']>().toEqualTypeOf<TootstreamErrorCode>();
  });

  it('code is read-only', () => {
    const error = new MastodonStallError(45_000);
    // @ts-expect-error a code is stable: it cannot be reassigned
    error.code = 'NETWORK';
  });
});
