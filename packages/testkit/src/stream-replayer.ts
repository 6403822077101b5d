import type { Socket } from 'node:net';
import { runAfter, type CancelTimer } from './durations.js';
import type { RecordedChunk } from './reads-format.js';

/** Options of {@link FakeMastodon.replayNext}. */
export interface ReplayOptions {
  /**
   * Multiplies the recorded times: 1 (default) = real time, 0.1 = ten times faster, 0 = no
   * waiting (chunks are still separate writes, but the client may read several at once).
   * @example
   * { timeScale: 0.01 } // sse-user's 30 s of heartbeats in 0.3 s
   */
  timeScale?: number | undefined;
  /**
   * Awaited before each chunk is written, after its time has come; lets a test make chunk
   * boundaries survive TCP (wait until the client has read everything before).
   * @example
   * { beforeChunk: () => capture.waitFor((text) => Buffer.byteLength(text) >= written) }
   */
  beforeChunk?: ((index: number, chunk: RecordedChunk) => Promise<void> | void) | undefined;
  /**
   * After the last chunk: keep the socket open (default; the captures end where the client hung
   * up) or end it (the client sees the connection close).
   * @example
   * { afterLast: 'end' }
   */
  afterLast?: 'keep-open' | 'end' | undefined;
  /**
   * Which requests the replay answers: stream connects (default) or any request but preflights.
   * @example
   * { paths: 'all' } // e.g. replay a captured REST answer
   */
  paths?: 'streaming' | 'all' | undefined;
}

/** One replay in progress on one socket. */
export interface ReplayRun {
  /** Resolves when every chunk is written, or the run was cancelled or lost its socket. */
  readonly done: Promise<void>;
  cancel(): void;
}

function pause(ms: number, run: { cancelPause: CancelTimer | undefined; wake: (() => void) | undefined }): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    run.wake = resolve;
    run.cancelPause = runAfter(ms, () => {
      run.cancelPause = undefined;
      run.wake = undefined;
      resolve();
    });
  });
}

/**
 * Writes recorded chunks to a raw socket with the recorded gaps (scaled), one `write` per chunk,
 * bypassing Node's HTTP serialiser: the recording already holds the status line, headers and
 * chunked framing, so the client receives exactly the recorded bytes.
 *
 * @example
 * const run = startReplay(req.socket, parseReads(text), { timeScale: 0.1 });
 * await run.done;
 */
export function startReplay(socket: Socket, chunks: readonly RecordedChunk[], options: ReplayOptions = {}): ReplayRun {
  const scale = options.timeScale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`FakeMastodon: timeScale must be ≥ 0, got ${scale}`);
  const state = { cancelled: false, cancelPause: undefined as CancelTimer | undefined, wake: undefined as (() => void) | undefined };
  const cancel = (): void => {
    state.cancelled = true;
    state.cancelPause?.();
    state.wake?.();
  };
  socket.once('close', cancel);
  const done = (async () => {
    let previousMs = 0;
    for (const [index, chunk] of chunks.entries()) {
      await pause((chunk.atMs - previousMs) * scale, state);
      previousMs = chunk.atMs;
      if (state.cancelled || socket.destroyed) return;
      await options.beforeChunk?.(index, chunk);
      if (state.cancelled || socket.destroyed) return;
      socket.write(chunk.bytes);
    }
    if (options.afterLast === 'end') socket.end();
  })().finally(() => socket.off('close', cancel));
  return { done, cancel };
}

/**
 * Replays queued for the next matching requests, and the runs in progress so close() can stop
 * their timers.
 */
export class ScriptedReplays {
  private readonly queue: Array<{ chunks: readonly RecordedChunk[]; options: ReplayOptions }> = [];
  private readonly running = new Set<ReplayRun>();

  add(chunks: readonly RecordedChunk[], options: ReplayOptions): void {
    const scale = options.timeScale ?? 1;
    if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`FakeMastodon: timeScale must be ≥ 0, got ${scale}`);
    this.queue.push({ chunks, options });
  }

  /** Starts the first queued replay that applies to a request of this kind on `socket`; returns the recorded status or undefined. */
  startIfQueued(kind: 'streaming' | 'rest' | 'other', socket: Socket): number | undefined {
    const index = this.queue.findIndex((entry) => (entry.options.paths ?? 'streaming') === 'all' || kind === 'streaming');
    if (index < 0) return undefined;
    const [entry] = this.queue.splice(index, 1);
    if (!entry) return undefined;
    const run = startReplay(socket, entry.chunks, entry.options);
    this.running.add(run);
    void run.done.then(() => this.running.delete(run));
    const head = Buffer.from(entry.chunks[0]?.bytes ?? []).toString('latin1');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
    return status === undefined ? 0 : Number(status);
  }

  /** Forgets queued replays and cancels running ones. */
  clear(): void {
    this.queue.length = 0;
    for (const run of this.running) run.cancel();
    this.running.clear();
  }
}
