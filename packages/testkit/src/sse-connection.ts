import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { ChannelSubscriber } from './channel-subscriber.js';
import { onNextRealCheckPhase, runAfter, runEvery, type CancelTimer } from './durations.js';
import { eventWrites, type EventWriteLayout } from './event-writes.js';
import type { FeedGate, ViewerSession } from './status-screening.js';
import type { AcceptedStream } from './streaming-route.js';
import type { FakeConnection, StreamName } from './types.js';

/** How a connection writes, shared by all connections of one server. */
export interface WriterSettings {
  heartbeatIntervalMs: number;
  heartbeat: string;
  eventWrites: EventWriteLayout;
  /** Read on every write, so toggling trickle affects output already queued afterwards. */
  isTrickling: () => boolean;
  /** Called for every event written (the `/metrics` counter). */
  onEventSent: () => void;
}

/**
 * One live SSE response. All output goes through a queue so that trickle mode (one byte per
 * chunk, spread over event-loop turns) never reorders bytes or races the terminator.
 */
export class SseConnection implements FakeConnection, ChannelSubscriber {
  readonly stream: StreamName;
  readonly tag?: string;
  readonly list?: string;
  readonly token: string;
  readonly accountId: string;
  readonly scopes: readonly string[];
  readonly feedGate: FeedGate;
  readonly closed: Promise<void>;
  isClosed = false;
  isSubscribed = false;
  isStalled = false;
  /** While stalled: heartbeats (and raw pushes) still flow, only events are lost. */
  private stallKeepsHeartbeats = false;

  private readonly pending: Buffer[] = [];
  private flushScheduled: CancelTimer | undefined;
  private stopHeartbeat: CancelTimer | undefined;
  private cancelSubscribe: CancelTimer | undefined;
  private endRequested = false;
  private dropped = false;
  private markClosed!: () => void;

  constructor(
    readonly id: number,
    accepted: AcceptedStream,
    readonly headers: IncomingHttpHeaders,
    readonly url: string,
    private readonly res: ServerResponse,
    private readonly settings: WriterSettings,
    readonly viewerSession: ViewerSession,
  ) {
    this.stream = accepted.stream;
    if (accepted.tag !== undefined) this.tag = accepted.tag;
    if (accepted.list !== undefined) this.list = accepted.list;
    this.token = accepted.token;
    this.accountId = accepted.accountId;
    this.scopes = accepted.scopes;
    this.feedGate = viewerSession.feedGate(accepted.stream);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    res.on('close', () => this.handleClose());
  }

  /** Writes `:)\n`, starts the heartbeat and, after `subscribeDelayMs`, the subscription. */
  open(subscribeDelayMs: number, onSubscribed: (connection: SseConnection) => void): void {
    this.write(':)\n');
    // 0 and Infinity start no timer (runEvery): heartbeats off.
    this.stopHeartbeat = runEvery(this.settings.heartbeatIntervalMs, () => this.write(this.settings.heartbeat));
    const subscribe = (): void => {
      this.cancelSubscribe = undefined;
      if (this.isClosed) return;
      this.isSubscribed = true;
      onSubscribed(this);
    };
    // An Infinity delay never subscribes: the stream stays at `:)` (and heartbeats).
    if (subscribeDelayMs > 0) this.cancelSubscribe = runAfter(subscribeDelayMs, subscribe);
    else subscribe();
  }

  /**
   * Sends one event in the configured write layout; ignored until subscribed. A missing payload
   * is written as `data: undefined`, the text pre-4.2 servers produced for it.
   */
  sendEvent(event: string, payload: string | undefined): boolean {
    if (!this.isSubscribed || this.isClosed) return false;
    if (this.isStalled && this.stallKeepsHeartbeats) return false;
    for (const piece of eventWrites(event, payload ?? 'undefined', this.settings.eventWrites)) this.write(piece);
    this.settings.onEventSent();
    return true;
  }

  /** Writes bytes as one chunk (or byte by byte while trickling); dropped while stalled. */
  write(bytes: string | Uint8Array): void {
    if (this.isClosed || this.endRequested || this.isSilent) return;
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    if (buffer.length === 0) return;
    if (this.pending.length === 0 && !this.settings.isTrickling()) {
      this.res.write(buffer);
      return;
    }
    if (this.settings.isTrickling()) {
      for (let index = 0; index < buffer.length; index += 1) this.pending.push(buffer.subarray(index, index + 1));
    } else {
      this.pending.push(buffer);
    }
    this.scheduleFlush();
  }

  /** Clean end: the chunked terminator `0\r\n\r\n`, like a token kill. */
  end(): void {
    if (this.isClosed || this.endRequested) return;
    this.endRequested = true;
    this.stopTimers();
    // A stalled connection keeps its socket silent until resumed, terminator included.
    if (this.pending.length === 0 && !this.isSilent) this.res.end();
    else this.scheduleFlush();
  }

  /** Abrupt end without terminator; with `midFrame` half an event goes out first. */
  drop(midFrame: boolean): void {
    if (this.isClosed || this.dropped) return;
    this.stopTimers();
    this.pending.length = 0;
    this.dropped = true;
    const socket = this.res.socket;
    if (midFrame && socket && !this.isSilent) {
      this.res.write('event: update\ndata: {"id":', () => socket.destroy());
    } else {
      socket?.destroy();
    }
    this.endRequested = true;
  }

  /** Stops output; with `keepHeartbeats` only events are lost (a server whose event bus is down). */
  stall(keepHeartbeats = false): void {
    this.isStalled = true;
    this.stallKeepsHeartbeats = keepHeartbeats;
  }

  resume(): void {
    this.isStalled = false;
    this.stallKeepsHeartbeats = false;
    if (this.pending.length > 0 || this.endRequested) this.scheduleFlush();
  }

  /** Ended or dropped by the fake, its socket perhaps still flushing or closing (see FakeConnection.isEnding). */
  get isEnding(): boolean {
    return this.endRequested;
  }

  private get isSilent(): boolean {
    return this.isStalled && !this.stallKeepsHeartbeats;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = onNextRealCheckPhase(() => this.flushOne());
  }

  private flushOne(): void {
    this.flushScheduled = undefined;
    if (this.isClosed || this.isSilent || this.dropped) return;
    const next = this.pending.shift();
    if (next) this.res.write(next);
    if (this.pending.length > 0) this.scheduleFlush();
    else if (this.endRequested) this.res.end();
  }

  private stopTimers(): void {
    this.stopHeartbeat?.();
    this.cancelSubscribe?.();
    this.stopHeartbeat = undefined;
    this.cancelSubscribe = undefined;
  }

  private handleClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.stopTimers();
    this.flushScheduled?.();
    this.flushScheduled = undefined;
    this.pending.length = 0;
    this.markClosed();
  }
}
