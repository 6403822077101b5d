import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { Mastodon, StreamListener, type ForStream, type MastodonOptions, type StreamHandle } from '@tootstream/listener';

export const TOKEN = 'peer-test-token';

/** Servers and handles made by a test, closed in afterEach so no socket or timer outlives it. */
export class Cleanup {
  private readonly servers: FakeMastodon[] = [];
  private readonly handles: StreamHandle[] = [];
  private readonly aborts: AbortController[] = [];

  async server(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
    // No timer heartbeats unless a test asks: counts of handleHeartbeat stay exact.
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0, ...options });
    this.servers.push(server);
    return server;
  }

  /** Awaits a `runAsync: true` call and keeps its handle for closing. */
  async handle<T extends StreamHandle>(call: Promise<T>): Promise<T> {
    const handle = await call;
    this.handles.push(handle);
    return handle;
  }

  controller(): AbortController {
    const controller = new AbortController();
    this.aborts.push(controller);
    return controller;
  }

  async dispose(): Promise<void> {
    for (const controller of this.aborts.splice(0)) controller.abort();
    await Promise.all(this.handles.splice(0).map((handle) => handle.close()));
    await Promise.all(this.servers.splice(0).map((server) => server.close()));
  }
}

/** A client for the fake server; the streaming URL is given so no discovery request interferes unless a test wants one. */
export function clientFor(server: FakeMastodon, options: Partial<MastodonOptions> = {}): Mastodon {
  return new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, streamingUrl: server.url, ...options });
}

/** One recorded listener call. */
export type Call = [name: string, ...args: unknown[]];

/** Records every handler call, in order. */
export class Recorder extends StreamListener {
  readonly calls: Call[] = [];

  named(name: string): Call[] {
    return this.calls.filter((call) => call[0] === name);
  }

  count(name: string): number {
    return this.named(name).length;
  }

  /** The calls except heartbeats and onAnyEvent, to compare event sequences. */
  events(): Call[] {
    return this.calls.filter((call) => call[0] !== 'handleHeartbeat' && call[0] !== 'onAnyEvent');
  }

  override onUpdate(status: unknown, forStream?: ForStream) {
    this.calls.push(['onUpdate', status, forStream]);
  }
  override onStatusUpdate(status: unknown, forStream?: ForStream) {
    this.calls.push(['onStatusUpdate', status, forStream]);
  }
  override onDelete(id: string, forStream?: ForStream) {
    this.calls.push(['onDelete', id, forStream]);
  }
  override onNotification(notification: unknown, forStream?: ForStream) {
    this.calls.push(['onNotification', notification, forStream]);
  }
  override onConversation(conversation: unknown, forStream?: ForStream) {
    this.calls.push(['onConversation', conversation, forStream]);
  }
  override onFiltersChanged(...args: unknown[]) {
    this.calls.push(['onFiltersChanged', ...args]);
  }
  override onAnnouncement(announcement: unknown, forStream?: ForStream) {
    this.calls.push(['onAnnouncement', announcement, forStream]);
  }
  override onAnnouncementReaction(reaction: unknown, forStream?: ForStream) {
    this.calls.push(['onAnnouncementReaction', reaction, forStream]);
  }
  override onAnnouncementDelete(id: string, forStream?: ForStream) {
    this.calls.push(['onAnnouncementDelete', id, forStream]);
  }
  override onEncryptedMessage(payload: unknown, forStream?: ForStream) {
    this.calls.push(['onEncryptedMessage', payload, forStream]);
  }
  override onNotificationsMerged(...args: unknown[]) {
    this.calls.push(['onNotificationsMerged', ...args]);
  }
  override onUnknownEvent(name: string, payload: unknown, forStream?: ForStream) {
    this.calls.push(['onUnknownEvent', name, payload, forStream]);
  }
  override onAnyEvent(name: string, payload: unknown, forStream?: ForStream) {
    this.calls.push(['onAnyEvent', name, payload, forStream]);
  }
  /** Each onAbort's second argument, in order (kept apart so `calls` stays Mastodon.py's one-argument shape). */
  readonly willReconnect: (boolean | undefined)[] = [];
  override onAbort(error: Error, willReconnect?: boolean) {
    this.calls.push(['onAbort', error]);
    this.willReconnect.push(willReconnect);
  }
  override onError(error: Error) {
    this.calls.push(['onError', error]);
  }
  override handleHeartbeat() {
    this.calls.push(['handleHeartbeat']);
  }
}

/** Polls until `predicate` holds (default 5 s); the failure message names what was awaited. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SSE bytes of one event, as Mastodon writes it. */
export function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
