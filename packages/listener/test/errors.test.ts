import * as core from '@tootstream/core';
import { isTootstreamError } from '@tootstream/core';
import { describe, expect, it } from 'vitest';
import * as listener from '@tootstream/listener';
import { toListenerError } from '../src/error-mapping.js';

const details = { status: 500, serverMessage: 'x' };

describe('error classes', () => {
  it.each([
    ['MastodonError', () => new listener.MastodonError('API', 'm')],
    ['MastodonIllegalArgumentError', () => new listener.MastodonIllegalArgumentError('m')],
    ['MastodonIOError', () => new listener.MastodonIOError('NETWORK', 'm')],
    ['MastodonNetworkError', () => new listener.MastodonNetworkError('m')],
    ['MastodonReadTimeout', () => new listener.MastodonReadTimeout()],
    ['MastodonAPIError', () => new listener.MastodonAPIError('m', details)],
    ['MastodonNotFoundError', () => new listener.MastodonNotFoundError('m', details)],
    ['MastodonUnauthorizedError', () => new listener.MastodonUnauthorizedError('m', details)],
    ['MastodonServerError', () => new listener.MastodonServerError('m', details)],
    ['MastodonInternalServerError', () => new listener.MastodonInternalServerError('m', details)],
    ['MastodonBadGatewayError', () => new listener.MastodonBadGatewayError('m', details)],
    ['MastodonServiceUnavailableError', () => new listener.MastodonServiceUnavailableError('m', details)],
    ['MastodonGatewayTimeoutError', () => new listener.MastodonGatewayTimeoutError('m', details)],
    ['MastodonRatelimitError', () => new listener.MastodonRatelimitError('m', { status: 429 })],
    ['MastodonMalformedEventError', () => new listener.MastodonMalformedEventError('Bad JSON', ['{'])],
    ['MastodonVersionError', () => new listener.MastodonVersionError('m')],
  ] as const)('%s has its name, is a MastodonError and a TootstreamError', (name, make) => {
    const error = make();
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
    expect(error).toBeInstanceOf(listener.MastodonError);
    expect(error).toBeInstanceOf(Error);
    expect(isTootstreamError(error)).toBe(true);
  });

  it('keep their fields', () => {
    const api = new listener.MastodonServiceUnavailableError('m', { status: 503, serverMessage: 'down', retryAfterMs: 1000, requestId: 'req-1' });
    expect([api.status, api.serverMessage, api.retryAfterMs, api.requestId, api.code]).toEqual([503, 'down', 1000, 'req-1', 'API']);
    const limited = new listener.MastodonRatelimitError('m', { status: 429, requestId: 'req-2' });
    expect([limited.status, limited.requestId]).toEqual([429, 'req-2']);
    const timeout = new listener.MastodonReadTimeout();
    expect([timeout.message, timeout.code]).toEqual(['Timed out while reading from server.', 'STALLED']);
    const malformed = new listener.MastodonMalformedEventError('Missing field', ['event', { data: 'x' }]);
    expect([malformed.reason, malformed.details, malformed.message]).toEqual(['Missing field', ['event', { data: 'x' }], 'Missing field: event']);
  });
});

describe("core's cross-realm guards", () => {
  // The listener's classes share core's brand and codes, so core's guards accept them: they must have the fields those guards promise.
  it('a mapped network error has the phase isMastodonNetworkError promises', async () => {
    for (const phase of ['connect', 'read'] as const) {
      const mapped = await toListenerError(new core.MastodonNetworkError('connect ECONNREFUSED 127.0.0.1:9', { phase }));
      expect(mapped).toBeInstanceOf(listener.MastodonNetworkError);
      expect(core.isMastodonNetworkError(mapped) && mapped.phase.toUpperCase()).toBe(phase.toUpperCase());
    }
    expect(new listener.MastodonNetworkError('m').phase).toBe('connect');
  });

  it('a malformed event error has the eventName, data and issues isMastodonMalformedEventError promises', async () => {
    const issues = [{ path: 'id', expected: 'string', received: 'undefined', message: 'Invalid type' }];
    const mapped = await toListenerError(new core.MastodonMalformedEventError('update', '{"x":1}', issues));
    expect(mapped).toBeInstanceOf(listener.MastodonMalformedEventError);
    expect(core.isMastodonMalformedEventError(mapped) && [mapped.eventName, mapped.data, mapped.issues.length]).toEqual(['update', '{"x":1}', 1]);
    const own = new listener.MastodonMalformedEventError('Missing field', ['event', { data: 'x' }]);
    expect(core.isMastodonMalformedEventError(own) && [own.eventName, own.data, own.issues.length]).toEqual(['', '', 0]);
  });
});

describe("StreamListener's default onError", () => {
  it('logs the error object itself, so the console prints its stack and cause (a handler bug must be findable)', () => {
    const logged: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void logged.push(args);
    const dropped = new listener.MastodonNetworkError('Server ceased communication.');
    const handlerBug = new TypeError("Cannot read properties of undefined (reading 'acct')");
    try {
      const listenerInstance = new listener.StreamListener();
      listenerInstance.onError(dropped);
      listenerInstance.onError(handlerBug);
    } finally {
      console.warn = warn;
    }
    expect(logged).toHaveLength(2);
    expect(logged[0]?.[0]).toBe('[tootstream/listener]');
    expect(logged[0]?.[1]).toBe(dropped);
    expect(logged[1]?.[1]).toBe(handlerBug);
  });

  it("logs a malformed event as one line of its text: as an object it printed the server's data three times, tens of kB per event", () => {
    const logged: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void logged.push(args);
    const data = `{"id":"1","content":"${'x'.repeat(300_000)}"`;
    const malformed = new listener.MastodonMalformedEventError('Bad JSON', [data], { cause: new core.MastodonMalformedEventError('update', data, []) });
    try {
      new listener.StreamListener().onError(malformed);
    } finally {
      console.warn = warn;
    }
    expect(logged).toEqual([['[tootstream/listener]', `MastodonMalformedEventError: Bad JSON: ${data.slice(0, 80)}…`]]);
  });
});
