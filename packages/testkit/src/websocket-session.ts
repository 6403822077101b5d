import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { runAfter, type CancelTimer } from './durations.js';
import { ViewerSession, type ScreeningContext } from './status-screening.js';
import type { StreamingErrorTexts } from './streaming-rejections.js';
import type { FakeWebSocket, FakeWebSocketSubscription } from './types.js';
import { isChannelError, resolveChannel, resolveSubscription, type ChannelRequest } from './websocket-channels.js';
import { ClientFrameParser, WebSocketProtocolError, type ClientMessage } from './websocket-frame-parser.js';
import { BINARY_REJECTED_REASON, CloseCode, Opcode, encodeCloseFrame, encodeFrame, encodeTextFrame } from './websocket-frames.js';
import { subscribeErrorFrame, unsubscribeErrorFrame } from './websocket-rejections.js';
import { WebSocketSubscription, parseClientMessage } from './websocket-subscription.js';
import { SubscriptionList } from './websocket-subscription-list.js';

/** Settings shared by every WebSocket of one server. */
export interface SessionSettings {
  maxPayloadBytes: number;
  /** How long a close frame waits for the client's answer before the TCP socket is destroyed. */
  closeTimeoutMs: number;
  lists: Readonly<Record<string, string>>;
  /** Called whenever subscriptions or the open state change, so waiters re-check. */
  onChange: () => void;
  screening: ScreeningContext;
  /** How long an accepted subscribe takes before events flow (4.5.7 subscribes asynchronously). */
  subscribeDelayMs: number;
  /** Called for every event frame sent (the `/metrics` counter). */
  onEventSent: () => void;
  /** Which server's error frames to send (see `streamingErrorTexts`). */
  errorTexts: StreamingErrorTexts;
}

/** Who the upgrade authenticated as. */
export interface SessionIdentity {
  token: string;
  accountId: string;
  scopes: readonly string[];
}

const EMPTY = Buffer.alloc(0);

/**
 * One upgraded socket: parses client frames, keeps its subscriptions, answers pings and runs
 * the close handshake. States: open → closing (our close frame sent) → closed (TCP gone).
 */
export class WebSocketSession implements FakeWebSocket {
  readonly token: string;
  readonly accountId: string;
  readonly scopes: readonly string[];
  /** The live subscriptions; tests see their plain views through `subscriptions`. */
  readonly channels = new SubscriptionList();
  readonly messages: string[] = [];
  readonly closed: Promise<void>;
  readonly viewerSession: ViewerSession;
  pongs = 0;
  isClosed = false;
  /** False after a ping sweep until the next pong; a second sweep then terminates the socket. */
  isAlive = true;
  isStalled = false;
  /** While stalled: pings, pongs and raw writes still flow, only frames for the client's subscriptions are lost. */
  private stallKeepsPings = false;
  /** A close frame the server sent while silent, written on resume. */
  private heldCloseFrame: Buffer | undefined;
  /** Accepted subscribes still waiting out `subscribeDelayMs`, by channel key. */
  private readonly pendingSubscribes = new Map<string, CancelTimer>();

  private state: 'open' | 'closing' | 'closed' = 'open';
  private readonly parser: ClientFrameParser;
  private cancelCloseTimeout: CancelTimer | undefined;
  private markClosed!: () => void;

  constructor(
    readonly id: number,
    identity: SessionIdentity,
    readonly headers: IncomingHttpHeaders,
    readonly url: string,
    readonly protocol: string | undefined,
    private readonly socket: Socket,
    private readonly settings: SessionSettings,
  ) {
    this.token = identity.token;
    this.accountId = identity.accountId;
    this.scopes = identity.scopes;
    this.viewerSession = new ViewerSession(identity.accountId, settings.screening);
    this.parser = new ClientFrameParser(settings.maxPayloadBytes);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  /** Wires the socket, handles bytes that arrived with the handshake and the URL's `stream`. */
  start(head: Buffer, fromUrl: ChannelRequest | undefined): void {
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // The HTTP server allows half-open sockets; a WebSocket peer that ends its side is gone.
    this.socket.on('end', () => this.socket.end());
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.handleClose());
    if (fromUrl) this.subscribe(fromUrl);
    if (head.length > 0) this.receive(head);
  }

  get subscriptions(): ReadonlyArray<FakeWebSocketSubscription> {
    return this.channels.views;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Sends a text frame (event or error) while open and not stalled; false otherwise. */
  sendText(text: string): boolean {
    if (this.state !== 'open' || this.isStalled) return false;
    this.socket.write(encodeTextFrame(text));
    return true;
  }

  countEventSent(): void {
    this.settings.onEventSent();
  }

  /** Writes bytes verbatim (for client parser tests); ignored once the socket is gone or while silent. */
  writeRaw(bytes: Uint8Array): void {
    if (this.state !== 'closed' && !this.isSilent && bytes.length > 0) this.socket.write(bytes);
  }

  /**
   * Stops output with the socket left open. Plain: nothing at all is written (no frames, no
   * pings, no pongs, and the sweep neither pings nor terminates it), a half-open server. With
   * `keepPings`: only event and error frames are lost, as while the server's Redis is down.
   */
  stall(keepPings: boolean): void {
    this.isStalled = true;
    this.stallKeepsPings = keepPings;
  }

  /** Undoes {@link stall}; a close frame held meanwhile goes out now. */
  resume(): void {
    this.isStalled = false;
    this.stallKeepsPings = false;
    const held = this.heldCloseFrame;
    this.heldCloseFrame = undefined;
    if (held && this.state !== 'closed') this.socket.write(held);
  }

  private get isSilent(): boolean {
    return this.isStalled && !this.stallKeepsPings;
  }

  /** One step of the global keep-alive sweep; a silent socket sits it out. */
  sweep(): void {
    if (this.isSilent) return;
    if (!this.isAlive) return this.terminate();
    this.isAlive = false;
    if (this.state === 'open') this.socket.write(encodeFrame(Opcode.ping, EMPTY));
  }

  /** A token kill: close frame without status code (`88 00`), the client sees 1005. */
  kill(): void {
    this.close(undefined, '');
  }

  /** Destroys the TCP socket without a close frame; the client sees 1006. */
  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    try {
      this.parser.push(chunk, (message) => this.handleMessage(message));
    } catch (error) {
      if (!(error instanceof WebSocketProtocolError)) throw error;
      // Like `ws`: answer with the code alone, stop reading and end our side at once (there is
      // no point waiting for a close frame nobody will parse); the close timer ends a silent peer.
      this.socket.removeAllListeners('data');
      this.socket.resume();
      this.close(error.closeCode, '');
      this.socket.end();
    }
  }

  private handleMessage(message: ClientMessage): void {
    switch (message.kind) {
      case 'ping':
        if (this.state === 'open' && !this.isSilent) this.socket.write(encodeFrame(Opcode.pong, message.payload));
        return;
      case 'pong':
        this.pongs += 1;
        this.isAlive = true;
        this.settings.onChange();
        return;
      case 'close':
        return this.closeReceived(message.code, message.reason);
      case 'binary':
        if (this.state === 'open') this.close(CloseCode.unsupportedData, BINARY_REJECTED_REASON);
        return;
      case 'text':
        if (this.state === 'open') this.handleText(message.text);
    }
  }

  private handleText(text: string): void {
    this.messages.push(text);
    const request = parseClientMessage(text);
    if (request?.type === 'subscribe') this.subscribe(request);
    else if (request?.type === 'unsubscribe') this.unsubscribe(request);
    this.settings.onChange();
  }

  private subscribe(request: ChannelRequest): void {
    const channel = resolveSubscription(request, this, this.settings.lists);
    if (isChannelError(channel)) {
      this.sendErrorFrame(subscribeErrorFrame(channel.refusal, this.settings.errorTexts));
      return;
    }
    // Keyed by channel, so `Test` after `test` is a no-op and keeps the first label.
    if (this.channels.has(channel.key) || this.pendingSubscribes.has(channel.key)) return;
    const subscription = new WebSocketSubscription(channel, this);
    if (this.settings.subscribeDelayMs <= 0) return this.channels.add(subscription);
    const cancel = runAfter(this.settings.subscribeDelayMs, () => {
      this.pendingSubscribes.delete(channel.key);
      if (this.state !== 'open') return;
      this.channels.add(subscription);
      this.settings.onChange();
    });
    this.pendingSubscribes.set(channel.key, cancel);
  }

  private unsubscribe(request: ChannelRequest): void {
    const channel = resolveChannel(request, this.accountId, this.settings.lists);
    if (isChannelError(channel)) {
      this.sendErrorFrame(unsubscribeErrorFrame(channel.refusal, this.settings.errorTexts));
      return;
    }
    this.channels.remove(channel.key);
    this.pendingSubscribes.get(channel.key)?.();
    this.pendingSubscribes.delete(channel.key);
  }

  // 4.5.7 sends an error frame only `if (websocket.isAlive && …OPEN)`: between a sweep's ping and
  // the client's pong the failure goes unanswered.
  private sendErrorFrame(text: string): void {
    if (this.isAlive) this.sendText(text);
  }

  private cancelPendingSubscribes(): void {
    for (const cancel of this.pendingSubscribes.values()) cancel();
    this.pendingSubscribes.clear();
  }

  /** Server-initiated close: send the frame once, then wait for the client's answer (bounded). */
  private close(code: number | undefined, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.channels.clear();
    this.cancelPendingSubscribes();
    if (this.isSilent) this.heldCloseFrame = encodeCloseFrame(code, reason);
    else this.socket.write(encodeCloseFrame(code, reason));
    // With an Infinity timeout the socket waits for the client's close (or close()) for good.
    this.cancelCloseTimeout = runAfter(this.settings.closeTimeoutMs, () => this.socket.destroy());
    this.settings.onChange();
  }

  private closeReceived(code: number | undefined, reason: string): void {
    if (this.state === 'open') {
      // Echo the client's code (and reason) as `ws` does, then end our side.
      this.close(code, code === undefined ? '' : reason);
    }
    this.socket.end();
  }

  private handleClose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.isClosed = true;
    this.channels.clear();
    this.cancelPendingSubscribes();
    this.cancelCloseTimeout?.();
    this.cancelCloseTimeout = undefined;
    this.markClosed();
    this.settings.onChange();
  }
}
