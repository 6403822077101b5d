import { vi } from 'vitest';

/**
 * A fresh copy of the testkit, loaded while `setTimeout`/`clearTimeout` are faked. Its waits'
 * timeouts run on the timers it captured when it was loaded (normally the real ones, so moving a
 * fake clock cannot fire them); this copy captured the fakes, so a test can check what a timeout
 * does, and that it is cleared, without waiting seconds. The caller closes what it starts and
 * calls `vi.useRealTimers()`.
 *
 * @example
 * const { createFakeMastodon } = await importTestkitOnFakeTimers();
 */
export async function importTestkitOnFakeTimers(): Promise<typeof import('@tootstream/testkit')> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.resetModules();
  return import('@tootstream/testkit');
}
