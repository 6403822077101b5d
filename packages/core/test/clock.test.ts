import { describe, expect, it } from 'vitest';
import { untilAborted } from '../src/clock.js';

describe('untilAborted', () => {
  it('rejects with the reason at once when the signal is already aborted, however long the promise takes', async () => {
    const reason = new Error('stopped');
    const never = new Promise<never>(() => {});
    const outcome = await Promise.race([untilAborted(never, AbortSignal.abort(reason)).catch((error: unknown) => error), new Promise((resolve) => setTimeout(resolve, 200, 'still waiting'))]);
    expect(outcome).toBe(reason);
  });

  it('settles like the promise while the signal stays quiet, and rejects when it aborts later', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    const controller = new AbortController();
    const waiting = untilAborted(new Promise<never>(() => {}), controller.signal);
    controller.abort('later');
    await expect(waiting).rejects.toBe('later');
  });
});
