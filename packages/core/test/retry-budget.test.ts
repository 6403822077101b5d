import { describe, expect, it } from 'vitest';
import { MastodonApiError, MastodonNetworkError, MastodonStallError } from '../src/errors.js';
import { DEFAULT_RECONNECT_POLICY } from '../src/options.js';
import { backoffDelay, isRetryable, retryBudget } from '../src/reconnect-policy.js';

// The reconnect policy as pure units, at the edges the stream tests (reconnect-policy.test.ts) do not reach: the
// delay's rounding and its floor, and the retry budget's limits, read without a server or a clock.

describe('backoffDelay at its edges', () => {
  const policy = DEFAULT_RECONNECT_POLICY;

  it('waits whole milliseconds', () => {
    // 100 + 0.123456 × (1000 − 100) = 211.11…
    expect(backoffDelay(policy, 1, () => 0.123456)).toBe(211);
    expect(backoffDelay(policy, 2, () => 0.0005)).toBe(101);
  });

  it('never waits past maxDelayMs for minDelayMs: a bound below the floor is the delay', () => {
    const quick = { ...policy, initialDelayMs: 5, maxDelayMs: 20 };
    for (const random of [() => 0, () => 0.5, () => 1]) {
      expect([1, 2, 3, 4].map((attempt) => backoffDelay(quick, attempt, random))).toEqual([5, 10, 20, 20]);
    }
  });
});

describe('isRetryable', () => {
  it('retries an HTTP status outside 4xx, and 408 and 429; no other 4xx (499 included)', () => {
    const retried = [302, 399, 408, 429, 500, 503].filter((status) => isRetryable(new MastodonApiError(status, undefined)));
    expect(retried).toEqual([302, 399, 408, 429, 500, 503]);
    expect([400, 401, 404, 407, 409, 428, 430, 499].filter((status) => isRetryable(new MastodonApiError(status, undefined)))).toEqual([]);
  });

  it('retries no error of another kind, even one with a code and a status that would be retried', () => {
    expect(isRetryable(Object.assign(new Error('x'), { code: 'NETWORK' }))).toBe(false);
    expect(isRetryable({ code: 'API', status: 503 })).toBe(false);
    expect(isRetryable(new MastodonStallError(60_000))).toBe(true);
  });

  it('does not retry a network error that is the same every time: a runtime refusing the host, a blocked port', () => {
    const network = (reason: string, causeName = 'TypeError') => new MastodonNetworkError(reason, { cause: Object.assign(new Error(reason), { name: causeName }) });
    expect(isRetryable(network('connect ECONNREFUSED 127.0.0.1:443'))).toBe(true);
    // Deno without --allow-net for the host; Node's and Deno's answers for a port fetch never connects to.
    expect(isRetryable(network('Requires net access to "m.example:443"', 'NotCapable'))).toBe(false);
    expect(isRetryable(network('Requires net access to "m.example:443"', 'PermissionDenied'))).toBe(false);
    expect(isRetryable(network('bad port'))).toBe(false);
    expect(isRetryable(network('Requests to port 6000 are blocked'))).toBe(false);
    // Only those: other text that mentions a port is a network failure like any other.
    for (const reason of ['a bad port', 'bad port number 70000', 'Requests to port x are blocked']) expect(isRetryable(network(reason)), reason).toBe(true);
  });
});

describe('retryBudget', () => {
  it('a connection that delivered nothing and lived less than resetAfterMs earns no fresh budget, even the first one', () => {
    const budget = retryBudget({ maxAttempts: 2, resetAfterMs: 60_000 });
    budget.failedAt(0);
    expect(budget.spend(0, () => 1, undefined)).toBe(1000);
    expect(budget.spend(1_000, () => 1, undefined)).toBe(2000);
    // The third attempt connects, then loses the connection 10 s later without an event.
    budget.lost(3_000, 13_000);
    budget.failedAt(13_000);
    expect(budget.spend(13_000, () => 1, undefined)).toBeUndefined();
    expect(budget.spent()).toBe(2);
  });
});

