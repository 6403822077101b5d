// The README promises that a fetch resolving to anything but a Response ends the stream with
// MastodonArgumentError. user-fetch.test.ts holds it for undefined and {}; these objects look more
// like a Response (a test mock returning { ok: true }) and used to end the loop with a bare TypeError
// from reading their headers.
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonArgumentError } from '../src/errors.js';

describe('a fetch that resolves to something Response-like but not a Response', () => {
  for (const [label, value] of [
    ['{ ok: true }', { ok: true }],
    ['{ ok: true, headers: {} }', { ok: true, headers: {} }],
    ['{ ok: false, headers: {} }', { ok: false, headers: {} }],
  ] as const) {
    it(`${label} is an argument error, never retried`, async () => {
      let calls = 0;
      const client = createClient({
        url: 'http://127.0.0.1:9',
        streamingUrl: 'http://127.0.0.1:9',
        accessToken: 'peer-test-token',
        fetch: async () => (calls++, value as unknown as Response),
      });
      const error = await (async () => {
        for await (const _ of client.user());
      })().then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(MastodonArgumentError);
      expect((error as Error).message).toBe('fetch did not resolve to a Response');
      expect(calls).toBe(1);
    });
  }
});
