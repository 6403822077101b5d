import { runAfter, type CancelTimer } from './durations.js';

/**
 * Reorder mode (protocol.md §9): on 4.5.7 an `update`/`status.update` for public* and hashtag*
 * waits for a database round trip (relationships, filters) while every other event goes out at
 * once, so an update followed immediately by a delete of the same status arrives after it.
 * This holds such deliveries for a fixed time on ordinary timers (so fake clocks drive it), in
 * publish order; everything else stays immediate. An `Infinity` delay holds them for good (the
 * durations rule: Infinity means never).
 *
 * @example
 * const delay = new UpdateDelay(20);
 * delay.run(() => connection.sendEvent('update', text)); // 20 ms later
 * delay.dispose();                                        // on server close
 */
export class UpdateDelay {
  private readonly pending = new Set<CancelTimer>();

  constructor(private delayMs: number) {}

  /** 0 turns reorder mode off; deliveries already held keep their time. Checked by the callers (checkDuration), which name the option. */
  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
  }

  get isActive(): boolean {
    return this.delayMs > 0;
  }

  /** Runs `deliver` after the delay, or now when reorder mode is off. */
  run(deliver: () => void): void {
    if (this.delayMs === 0) return deliver();
    const cancel = runAfter(this.delayMs, () => {
      this.pending.delete(cancel);
      deliver();
    });
    this.pending.add(cancel);
  }

  /** Forgets held deliveries; used by close() so no timer outlives the server. */
  dispose(): void {
    for (const cancel of this.pending) cancel();
    this.pending.clear();
  }
}
