/**
 * Reorder mode (protocol.md §9): on 4.5.7 an `update`/`status.update` for public* and hashtag*
 * waits for a database round trip (relationships, filters) while every other event goes out at
 * once, so an update followed immediately by a delete of the same status arrives after it.
 * This holds such deliveries for a fixed time on ordinary timers (so fake clocks drive it), in
 * publish order; everything else stays immediate.
 *
 * @example
 * const delay = new UpdateDelay(20);
 * delay.run(() => connection.sendEvent('update', text)); // 20 ms later
 * delay.dispose();                                        // on server close
 */
export class UpdateDelay {
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(private delayMs: number) {}

  /** 0 turns reorder mode off; deliveries already held keep their time. */
  setDelay(delayMs: number): void {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`FakeMastodon: reorder delay must be ≥ 0, got ${delayMs}`);
    this.delayMs = delayMs;
  }

  get isActive(): boolean {
    return this.delayMs > 0;
  }

  /** Runs `deliver` after the delay, or now when reorder mode is off. */
  run(deliver: () => void): void {
    if (this.delayMs === 0) return deliver();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      deliver();
    }, this.delayMs);
    this.pending.add(timer);
  }

  /** Forgets held deliveries; used by close() so no timer outlives the server. */
  dispose(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
