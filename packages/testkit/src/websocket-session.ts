import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ChannelSubscriber } from './channel-subscriber.js';
import { ViewerSession, type ScreeningContext } from './status-screening.js';
import type { FakeWebSocket, FakeWebSocketSubscription, StreamName } from './types.js';
import { isChannelError, resolveChannel, resolveSubscription, type ChannelRequest, type ResolvedChannel } from './websocket-channels.js';
import { ClientFrameParser, WebSocketProtocolError, type ClientMessage } from './websocket-frame-parser.js';
import { BINARY_REJECTED_REASON, CloseCode, Opcode, encodeCloseFrame, encodeFrame, encodeTextFrame } from './websocket-frames.js';

/** Settings shared by every WebSocket of one server. */
export interface SessionSettings {
  maxPayloadBytes: number;
  /** How long a close frame waits for the client's answer before the TCP socket is destroyed. */
  closeTimeoutMs: number;
  lists: Readonly<Record<string, string>>;
  /** Called whenever subscriptions or the open state change, so waiters re-check. */
  onChange: () => void;
  screening: ScreeningContext;
}

/** Who the upgrade authenticated as. */
export interface SessionIdentity {
  token: string;
  accountId: string;
  scopes: readonly string[];
}

const EMPTY = Buffer.alloc(0);

/**
 * The fields of a client message, or undefined for non-JSON and JSON that is not an object:
 * both are ignored and the socket stays open, as captured. Unknown `type`s come back as they are.
 */
function parseClientMessage(text: string): (ChannelRequest & { type: unknown }) | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const fields = parsed as Record<string, unknown>;
  return { type: fields['type'], stream: fields['stream'], tag: fields['tag'], list: fields['list'] };
}
const UNSUBSCRIBE_FAILED = JSON.stringify({ error: 'Error unsubscribing from channel' });

/** One channel of a WebSocket; the publisher delivers to it like to an SSE stream. */
class WebSocketSubscription implements ChannelSubscriber, FakeWebSocketSubscription {
  readonly stream: StreamName;
  readonly tag?: string;
  readonly list?: string;
  readonly label: ReadonlyArray<string | number>;
  readonly key: string;

  constructor(
    channel: ResolvedChannel,
    private readonly session: WebSocketSession,
  ) {
    this.stream = channel.stream;
    if (channel.tag !== undefined) this.tag = channel.tag;
    if (channel.list !== undefined) this.list = channel.list;
    this.label = channel.label;
    this.key = channel.key;
  }

  get accountId(): string {
    return this.session.accountId;
  }

  get scopes(): readonly string[] {
    return this.session.scopes;
  }

  // One per socket: 4.5.7 keeps languages and cached filters on the upgrade request.
  get viewerSession(): ViewerSession {
    return this.session.viewerSession;
  }

  sendEvent(event: string, data: string | undefined): boolean {
    // Key order as Mastodon builds the object; an absent payload drops the key, as JSON.stringify does there.
    return this.session.sendText(JSON.stringify({ stream: this.label, event, payload: data }));
  }
}

/**
 * One upgraded socket: parses client frames, keeps its subscriptions, answers pings and runs
 * the close handshake. States: open → closing (our close frame sent) → closed (TCP gone).
 */
export class WebSocketSession implements FakeWebSocket {
  readonly token: string;
  readonly accountId: string;
  readonly scopes: readonly string[];
  readonly subscriptions: WebSocketSubscription[] = [];
  readonly messages: string[] = [];
  readonly closed: Promise<void>;
  readonly viewerSession: ViewerSession;
  pongs = 0;
  isClosed = false;
  /** False after a ping sweep until the next pong; a second sweep then terminates the socket. */
  isAlive = true;

  private state: 'open' | 'closing' | 'closed' = 'open';
  private readonly parser: ClientFrameParser;
  private closeTimer: NodeJS.Timeout | undefined;
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

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Sends a text frame while open; false otherwise. */
  sendText(text: string): boolean {
    if (this.state !== 'open') return false;
    this.socket.write(encodeTextFrame(text));
    return true;
  }

  /** Writes bytes verbatim (for client parser tests); ignored once the socket is gone. */
  writeRaw(bytes: Uint8Array): void {
    if (this.state !== 'closed' && bytes.length > 0) this.socket.write(bytes);
  }

  /** One step of the global keep-alive sweep. */
  sweep(): void {
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
        if (this.state === 'open') this.socket.write(encodeFrame(Opcode.pong, message.payload));
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
      this.sendText(JSON.stringify({ error: channel.error, status: channel.status }));
      return;
    }
    // Keyed by channel, so `Test` after `test` is a no-op and keeps the first label.
    if (this.subscriptions.some((existing) => existing.key === channel.key)) return;
    this.subscriptions.push(new WebSocketSubscription(channel, this));
  }

  private unsubscribe(request: ChannelRequest): void {
    const channel = resolveChannel(request, this.accountId, this.settings.lists);
    if (isChannelError(channel)) {
      this.sendText(UNSUBSCRIBE_FAILED);
      return;
    }
    const index = this.subscriptions.findIndex((existing) => existing.key === channel.key);
    if (index >= 0) this.subscriptions.splice(index, 1);
  }

  /** Server-initiated close: send the frame once, then wait for the client's answer (bounded). */
  private close(code: number | undefined, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.subscriptions.length = 0;
    this.socket.write(encodeCloseFrame(code, reason));
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.settings.closeTimeoutMs);
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
    this.subscriptions.length = 0;
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.markClosed();
    this.settings.onChange();
  }
}
