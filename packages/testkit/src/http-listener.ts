import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { runAfter, type CancelTimer } from './durations.js';

/**
 * The TCP side of the fake server: listening on 127.0.0.1, tracking every socket so close()
 * and restart() can destroy them, and the downtime of a restart. Nothing here outlives close().
 *
 * @example
 * const listener = new HttpListener(createServer(handler), () => endpoint.startPinging());
 * await listener.listen(0);
 * await listener.restart(500, () => false);
 * await listener.close();
 */
export class HttpListener {
  private readonly sockets = new Set<Socket>();
  private cancelRestart: CancelTimer | undefined;
  private finishRestart: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  private restarting: Promise<void> | undefined;
  port = 0;

  /** `onListening` runs after every successful listen (the first one and after restarts). */
  constructor(
    private readonly http: Server,
    private readonly onListening: () => void,
  ) {
    http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        const address = this.http.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        this.onListening();
        resolve();
      });
    });
  }

  /** Stops listening and destroys every socket; `beforeSockets` runs first (timers, waiters). Idempotent. */
  close(beforeSockets: () => void): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.cancelRestart?.();
      this.cancelRestart = undefined;
      this.finishRestart?.();
      beforeSockets();
      this.destroyAllSockets();
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  /**
   * Destroys every socket, refuses connections for `downMs`, then listens on the same port. With
   * `Infinity` it stays down until close(), which settles the returned promise.
   */
  restart(downMs: number): Promise<void> {
    if (this.closing) return Promise.reject(new Error('FakeMastodon: restart() after close()'));
    // A second one meanwhile closed a server that was not listening and then listened twice (Node's "Listen method has
    // been called more than once"), leaving the first one's listener behind.
    if (this.restarting) return Promise.reject(new Error('FakeMastodon: restart() while an earlier restart() is still under way; await it first'));
    const restarted = this.restartNow(downMs);
    this.restarting = restarted;
    const done = () => {
      this.restarting = undefined;
    };
    restarted.then(done, done);
    return restarted;
  }

  private restartNow(downMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finishRestart = resolve;
      const closed = new Promise<void>((done) => this.http.close(() => done()));
      this.destroyAllSockets();
      this.http.closeAllConnections();
      this.cancelRestart = runAfter(downMs, () => {
        this.cancelRestart = undefined;
        this.finishRestart = undefined;
        if (this.closing) return resolve();
        void closed.then(() => (this.closing ? resolve() : this.listen(this.port).then(resolve, reject)));
      });
    });
  }

  private destroyAllSockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
