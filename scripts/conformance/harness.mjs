// The conformance suite's own tiny test kit: assertions, a sequential runner
// and a client of the control server. Plain ESM on web APIs only (fetch,
// AbortController, setTimeout), so the same file runs in Node, Deno and browsers.

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export const assert = {
  ok(value, message) {
    if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) throw new AssertionError(`${message ?? 'values differ'}: expected ${show(expected)}, got ${show(actual)}`);
  },
  // Order-sensitive structural equality of JSON-like values.
  deepEqual(actual, expected, message) {
    if (show(actual) !== show(expected)) throw new AssertionError(`${message ?? 'values differ'}: expected ${show(expected)}, got ${show(actual)}`);
  },
  type(value, expectedType, message) {
    const actualType = value === null ? 'null' : typeof value;
    if (actualType !== expectedType) throw new AssertionError(`${message ?? 'wrong type'}: expected ${expectedType}, got ${actualType} (${show(value)})`);
  },
  includes(list, item, message) {
    if (!list.includes(item)) throw new AssertionError(`${message ?? 'missing item'}: ${show(item)} not in ${show(list)}`);
  },
};

/** Talks to scripts/conformance/control-server.mjs. */
export class ControlClient {
  constructor(controlUrl) {
    this.controlUrl = controlUrl.replace(/\/$/, '');
  }

  async call(method, path, body) {
    const response = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`control ${method} ${path} → ${response.status}: ${answer.error ?? show(answer)}`);
    return answer;
  }

  /** A fresh fake Mastodon server, as a handle bound to its id. */
  async createServer(options = {}) {
    const { id, url } = await this.call('POST', '/servers', options);
    const at = (action) => `/servers/${id}/${action}`;
    return {
      url,
      postStatus: (body = {}) => this.call('POST', at('post-status'), body),
      deleteStatus: (statusId) => this.call('POST', at('delete-status'), { id: statusId }),
      notify: () => this.call('POST', at('notify'), {}),
      drop: (body = {}) => this.call('POST', at('drop'), body),
      waitForConnection: (body = {}) => this.call('POST', at('wait-connection'), body),
      waitForClosed: (connectionId, timeoutMs) => this.call('POST', at('wait-closed'), { connectionId, timeoutMs }),
      connections: () => this.call('GET', at('connections')),
      failNext: (failure) => this.call('POST', at('fail-next'), failure),
      pushRaw: (text) => this.call('POST', at('push-raw'), { text }),
      stall: (body = {}) => this.call('POST', at('stall'), body),
      waitForRequest: (body) => this.call('POST', at('wait-request'), body),
      close: () => this.call('DELETE', `/servers/${id}`),
    };
  }

  /** A seeded chaos server (the testkit's `createChaosServer`), with its ledger read over the control API. */
  async createChaosServer(options) {
    const { id, url } = await this.call('POST', '/chaos', options);
    return {
      url,
      ledger: () => this.call('GET', `/chaos/${id}/ledger`),
      openStreams: async () => (await this.call('GET', `/chaos/${id}/open-streams`)).open,
      close: () => this.call('DELETE', `/chaos/${id}`),
    };
  }
}

/**
 * Runs cases one after another. Each case gets a fresh fake server and an
 * AbortSignal that fires when the case times out, so a hung stream is torn
 * down instead of keeping the runtime alive. Prints `N passed, N failed`.
 *
 * `caseCheck` (optional; the browser sanitizer's, scripts/browser-sanitizer/)
 * is asked before each case for a baseline (`beforeCase()`) and after it, before
 * its server is closed (closing it would end a read the case left pending), for
 * a verdict (`afterCase(name, baseline)`, which throws what the case left behind).
 */
export async function runCases(cases, { control, log = console.log, caseTimeoutMs = 30_000, filter, caseCheck } = {}) {
  let passed = 0;
  let failed = 0;
  for (const testCase of cases) {
    if (filter && !testCase.name.includes(filter)) continue;
    const timeoutController = new AbortController();
    let server;
    let timer;
    try {
      server = await control.createServer(testCase.server ?? {});
      const baseline = await caseCheck?.beforeCase();
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
          timeoutController.abort(new Error(`case timed out after ${caseTimeoutMs} ms`));
          reject(timeoutController.signal.reason);
        }, caseTimeoutMs);
      });
      await Promise.race([testCase.run({ server, control, caseSignal: timeoutController.signal }), timeout]);
      await caseCheck?.afterCase(testCase.name, baseline);
      passed++;
      log(`ok   ${testCase.name}`);
    } catch (error) {
      failed++;
      timeoutController.abort(new Error('case failed'));
      log(`FAIL ${testCase.name}\n     ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.replace(/\n(?! {5})/g, '\n     '));
    } finally {
      clearTimeout(timer);
      await server?.close().catch(() => {});
    }
  }
  log(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}

/** Resolves after `ms` unless `signal` aborts first. */
export function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/**
 * Iterates `iterable` in the background, recording every value. `stopWhen`
 * makes the loop `break` (the consumer-side close under test). `waitFor`
 * resolves with the first recorded value matching a predicate, looking at
 * values already received too, and rejects if the loop ends first.
 */
export function startReading(iterable, { stopWhen } = {}) {
  const values = [];
  const waiters = new Set();
  let finished = false;
  let failure;
  const settleWaiters = () => {
    for (const waiter of [...waiters]) {
      const found = values.find(waiter.predicate);
      if (found !== undefined) {
        waiters.delete(waiter);
        waiter.resolve(found);
      } else if (finished) {
        waiters.delete(waiter);
        waiter.reject(failure ?? new Error(`the stream ended before ${waiter.what}`));
      }
    }
  };
  const done = (async () => {
    try {
      for await (const value of iterable) {
        values.push(value);
        settleWaiters();
        if (stopWhen?.(value, values)) break;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      finished = true;
      settleWaiters();
    }
  })();
  // The loop's failure is reported through `done`/`waitFor`; this keeps it from being "unhandled" meanwhile.
  done.catch(() => {});
  return {
    values,
    done,
    waitFor(predicate, what = 'the awaited value') {
      return new Promise((resolve, reject) => {
        waiters.add({ predicate, what, resolve, reject });
        settleWaiters();
      });
    },
    /** `promise`, unless the loop ends (or fails) first. */
    whileRunning(promise, what = 'the awaited step') {
      const ended = done.then(
        () => Promise.reject(new Error(`the stream ended before ${what}`)),
        (error) => Promise.reject(error),
      );
      ended.catch(() => {});
      return Promise.race([promise, ended]);
    },
  };
}
