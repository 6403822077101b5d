import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { optionalDuration, runAfter, runAfterRealTime, type CancelTimer } from './durations.js';
import { RECORD_STREAM_OPTIONS, WAIT_OPTIONS } from './method-option-names.js';
import { checkOptionNames } from './option-names.js';
import type { RecordedChunk } from './reads-format.js';
import { DEFAULT_WAIT_TIMEOUT_MS } from './wait-diagnostics.js';

/** Options of {@link recordStream}. */
export interface RecordStreamOptions {
  /**
   * Extra request headers; `Host` is added.
   * @example
   * const recording = await recordStream(`${server.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer peer-test-token', Accept: 'text/event-stream' } });
   */
  headers?: Record<string, string> | undefined;
  /**
   * Stop by itself after this long (ms since connect); default (or `Infinity`): until `stop()` or the server closes.
   * @example
   * const recording = await recordStream(url, { headers, durationMs: 31_000 }); // two heartbeats of a real server
   */
  durationMs?: number | undefined;
}

/** A stream being recorded read by read; see {@link recordStream}. */
export interface StreamRecording {
  /** Reads so far, each with its time since connect. */
  readonly chunks: readonly RecordedChunk[];
  /**
   * Everything received so far, decoded as UTF-8.
   * @example
   * expect(recording.text()).toContain('event: delete\n');
   */
  text(): string;
  /**
   * Resolves once `predicate` holds for the text received so far (rejects after the timeout,
   * default 4 s of real time, even under `vi.useFakeTimers()`; `Infinity` = no timeout). The
   * timeout is `{ timeoutMs }`, as for the server's waits; a bare number still works.
   * @example
   * await recording.waitFor((text) => text.includes('event: delete'), { timeoutMs: 10_000 });
   */
  waitFor(predicate: (text: string) => boolean, options?: number | { timeoutMs?: number | undefined }): Promise<void>;
  /**
   * Resolves with the chunks once the connection is gone (server end, `stop()` or `durationMs`).
   * @example
   * const chunks = await (await recordStream(url, { headers, durationMs: 1_000 })).finished;
   */
  readonly finished: Promise<readonly RecordedChunk[]>;
  /**
   * Hangs up (as the fixtures' client did) and resolves with the chunks.
   * @example
   * const chunks = await recording.stop();
   */
  stop(): Promise<readonly RecordedChunk[]>;
}

/**
 * Records what a streaming server writes on one connection, as the fixtures were captured: a
 * raw HTTP/1.1 GET over TCP (TLS for `https:`), every read kept with its bytes and the ms since
 * the connection was established. Works against the fake server and against a real one; feed
 * the result to `formatReads` for a `.reads.txt` file or to `replayNext` to serve it again.
 *
 * @example
 * const recording = await recordStream(`${server.url}/api/v1/streaming/public`, {
 *   headers: { Authorization: 'Bearer peer-test-token' },
 * });
 * await server.waitForConnection();
 * server.postStatus();
 * await recording.waitFor((text) => text.includes('event: update'));
 * writeFileSync('public.reads.txt', formatReads(await recording.stop()));
 */
export function recordStream(url: string | URL, options: RecordStreamOptions = {}): Promise<StreamRecording> {
  checkOptionNames('recordStream', options, RECORD_STREAM_OPTIONS);
  const durationMs = optionalDuration('recordStream: durationMs', options.durationMs, Infinity);
  const target = new URL(url);
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const port = Number(target.port || (secure ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket: Socket = secure
      ? connectTls({ host, port, servername: host, ALPNProtocols: ['http/1.1'] })
      : connectTcp({ host, port, noDelay: true });
    socket.once('error', reject);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.off('error', reject);
      const recording = new Recording(socket, durationMs);
      socket.write(requestText(target, options.headers ?? {}));
      resolve(recording);
    });
  });
}

function requestText(target: URL, headers: Record<string, string>): string {
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

class Recording implements StreamRecording {
  readonly chunks: RecordedChunk[] = [];
  readonly finished: Promise<readonly RecordedChunk[]>;
  private readonly startedAt = performance.now();
  private readonly listeners = new Set<() => void>();
  private readonly decoder = new TextDecoder();
  private received = '';
  private cancelStop: CancelTimer | undefined;

  constructor(
    private readonly socket: Socket,
    durationMs: number,
  ) {
    socket.on('data', (bytes: Buffer) => {
      this.chunks.push({ atMs: performance.now() - this.startedAt, bytes: Uint8Array.from(bytes) });
      this.received += this.decoder.decode(bytes, { stream: true });
      for (const listener of [...this.listeners]) listener();
    });
    socket.on('error', () => undefined);
    // The server ending its side is the end of the capture; answer so the socket closes.
    socket.on('end', () => socket.end());
    this.finished = new Promise((resolve) => {
      socket.once('close', () => {
        this.cancelStop?.();
        resolve(this.chunks);
      });
    });
    // On the global timers, as before (vi.useFakeTimers() drives it): it ends a capture, it is no guard against a hang.
    this.cancelStop = runAfter(durationMs, () => socket.destroy());
  }

  text(): string {
    return this.received;
  }

  waitFor(predicate: (text: string) => boolean, options?: number | { timeoutMs?: number | undefined }): Promise<void> {
    // A bare number was the first form of the timeout; the option object matches the server's waits.
    if (typeof options !== 'number' && options !== undefined) checkOptionNames('recordStream waitFor', options, WAIT_OPTIONS);
    const timeoutMs = optionalDuration('recordStream waitFor: timeoutMs', typeof options === 'number' ? options : options?.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS);
    // The predicate is the test's: if it throws, the wait rejects with that and stops listening,
    // instead of the throw escaping from the socket's data handler on every later read.
    const holds = (): boolean => {
      try {
        return predicate(this.received);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`recordStream: the predicate given to waitFor threw: ${message}`, { cause: error });
      }
    };
    try {
      if (holds()) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise((resolve, reject) => {
      const done = (): void => {
        cancelTimeout();
        this.listeners.delete(listener);
      };
      const listener = (): void => {
        let held: boolean;
        try {
          held = holds();
        } catch (error) {
          done();
          return reject(error as Error);
        }
        if (!held) return;
        done();
        resolve();
      };
      const cancelTimeout = runAfterRealTime(timeoutMs, () => {
        done();
        reject(new Error(`recordStream: timed out after ${timeoutMs} ms; received ${JSON.stringify(this.received.slice(-300))}`));
      });
      this.listeners.add(listener);
    });
  }

  stop(): Promise<readonly RecordedChunk[]> {
    this.socket.destroy();
    return this.finished;
  }
}
