import type { Clock } from '@tootstream/core';

interface VirtualTimer {
  id: number;
  due: number;
  delay: number;
  callback: () => void;
}

/**
 * A clock whose time moves only when the test says so, passed to `new
 * Mastodon({ clock })`: core's timers (header wait, stall watchdog) and the
 * listener's heartbeat watchdog run on it, so tests assert on requested delays
 * and advance time instead of sleeping. Network I/O stays real.
 */
export class VirtualClock implements Clock {
  private current = Date.UTC(2026, 10, 28, 12);
  private nextId = 1;
  private readonly timers = new Map<number, VirtualTimer>();

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.current + delayMs, delay: delayMs, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired or cleared, soonest first. */
  get pending(): VirtualTimer[] {
    return [...this.timers.values()].sort((left, right) => left.due - right.due);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.pending[0];
      if (next === undefined || next.due > target) break;
      this.timers.delete(next.id);
      this.current = next.due;
      next.callback();
    }
    this.current = target;
  }

  /** Resolves (in real time) once a pending timer matches; fails after `timeoutMs` naming the pending delays. */
  async waitForTimer(matches: (timer: VirtualTimer) => boolean, timeoutMs = 5_000): Promise<VirtualTimer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pending.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching timer within ${timeoutMs} ms; pending delays: ${JSON.stringify(this.pending.map((timer) => timer.delay))}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
