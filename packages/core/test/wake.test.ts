// A device that slept keeps its timers but not its connections. Browsers say
// so with `visibilitychange` and `online`; the stall watchdog then checks at
// once instead of waiting out the rest of its timer.
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import { take } from './support/collect.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = undefined;
});

/** Stands in for a browser's `document` and `window` events, counting listeners. */
function fakeBrowserEvents() {
  const document = new EventTarget();
  const window = new EventTarget();
  let listeners = 0;
  for (const target of [document, window]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => {
      listeners++;
      add(...args);
    };
    target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => {
      listeners--;
      remove(...args);
    };
  }
  vi.stubGlobal('document', document);
  vi.stubGlobal('addEventListener', window.addEventListener.bind(window));
  vi.stubGlobal('removeEventListener', window.removeEventListener.bind(window));
  return { document, window, listeners: () => listeners };
}

async function openStalledStream() {
  server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  const clock = new VirtualClock();
  const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0.5, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
  const stalls: number[] = [];
  const stream = client.public({}, { stallTimeoutMs: 45_000, onStalled: ({ timeoutMs }) => stalls.push(timeoutMs) });
  const iterator = stream[Symbol.asyncIterator]();
  const firstEvent = take(iterator, 1);
  const connection = await server.waitForConnection();
  server.stall();
  // The read is pending and the watchdog armed.
  await clock.waitForTimer((timer) => timer.delay === 45_000);
  return { server, clock, stream, iterator, firstEvent, connection, stalls };
}

describe('waking from sleep', () => {
  it.each(['visibilitychange', 'online'] as const)('after a sleep longer than the stall timeout, `%s` replaces the dead connection at once', async (eventName) => {
    const browser = fakeBrowserEvents();
    const { server, clock, stream, iterator, firstEvent, connection, stalls } = await openStalledStream();
    clock.jump(10 * 60_000);
    expect(stalls).toEqual([]);
    (eventName === 'online' ? browser.window : browser.document).dispatchEvent(new Event(eventName));
    expect(stalls).toEqual([45_000]);
    await connection.closed;
    await clock.fireNext((timer) => timer.delay !== 45_000);
    await server.waitForConnection((next) => next.id !== connection.id);
    const status = server.postStatus({}, { account: 'alice' });
    const [event] = await firstEvent;
    expect(event).toMatchObject({ payload: { id: status.id } });
    expect(stream.stats.reconnects).toBe(1);
    await iterator.return?.();
    expect(browser.listeners()).toBe(0);
  });

  it('a wake after a short sleep keeps the connection and the watchdog counts on', async () => {
    const browser = fakeBrowserEvents();
    const { clock, iterator, firstEvent, connection, stalls } = await openStalledStream();
    clock.jump(20_000);
    browser.document.dispatchEvent(new Event('visibilitychange'));
    expect(stalls).toEqual([]);
    expect(connection.isClosed).toBe(false);
    // The watchdog was re-armed for what is left of the timeout, not a fresh 45 s.
    const rearmed = await clock.waitForTimer((timer) => timer.delay === 25_000);
    clock.advance(rearmed.delay);
    expect(stalls).toEqual([45_000]);
    await iterator.return?.();
    await firstEvent.catch(() => {});
    expect(browser.listeners()).toBe(0);
  });

  it('outside a browser (no document, no window events) nothing is listened to and nothing breaks', async () => {
    expect((globalThis as { document?: unknown }).document).toBeUndefined();
    const { clock, iterator, firstEvent, stalls } = await openStalledStream();
    clock.advance(45_000);
    expect(stalls).toEqual([45_000]);
    await iterator.return?.();
    await firstEvent.catch(() => {});
  });
});
