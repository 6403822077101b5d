import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { afterEach } from 'vitest';

/** The token the fake instance knows, alice's. */
export const TOKEN = 'peer-test-token';
/** Alice's account id on the fake instance. */
export const ALICE = '1001';

/** Picks a backoff sleep among a virtual clock's timers (not the 45 s stall watchdog). */
export const backoffTimer = (timer: { delay: number }): boolean => timer.delay !== 45_000;

/**
 * Call at a test file's top level: returns how its tests start a fake instance, and closes every one
 * started after its test.
 */
export function fakePerTest(): (options?: FakeMastodonOptions) => Promise<FakeMastodon> {
  const started: FakeMastodon[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options) => {
    const fake = await createFakeMastodon(options);
    started.push(fake);
    return fake;
  };
}
