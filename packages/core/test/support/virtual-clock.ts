import type { Clock } from '../../src/clock.js';

interface VirtualTimer {
  id: number;
  due: number;
  delay: number;
  callback: () => void;
}

/**
 * A clock whose time only moves when the test says so. Network I/O stays
 * real; only the SDK's own timers (backoff sleeps, the stall watchdog) are
 * virtual, so tests assert on requested delays instead of wall time.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, VirtualTimer>();
  /** Every delay ever requested, in order. */
  readonly requestedDelays: number[] = [];

  constructor(start = Date.UTC(2026, 10, 28, 12)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.current + delayMs, delay: delayMs, callback });
    this.requestedDelays.push(delayMs);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired or cleared. */
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

  /** Moves time forward without firing any timer, as on a device that slept. */
  jump(ms: number): void {
    this.current += ms;
  }

  /** Resolves (in real time) once a pending timer matches, e.g. the next backoff sleep. */
  async waitForTimer(matches: (timer: VirtualTimer) => boolean = () => true, timeoutMs = 10_000): Promise<VirtualTimer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pending.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching timer within ${timeoutMs} ms; pending: ${JSON.stringify(this.pending.map((timer) => timer.delay))}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Fires the matching timer now (advancing time to it). */
  async fireNext(matches?: (timer: VirtualTimer) => boolean, timeoutMs?: number): Promise<VirtualTimer> {
    const timer = await this.waitForTimer(matches, timeoutMs);
    this.advance(timer.due - this.current);
    return timer;
  }
}

/** Stream defaults for clients on a virtual clock: only the timers a test is about are pending (the connect timeout has its own test). */
export const VIRTUAL_CLOCK_DEFAULTS = { connectTimeoutMs: 0 };

/** A seeded PRNG (mulberry32) for deterministic jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
