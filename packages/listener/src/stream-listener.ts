import { createClient, type Announcement, type AnnouncementReaction, type Conversation, type Notification, type Status } from '@tootstream/core';
import { loadChunk } from './chunk-loader.js';
import { MastodonIllegalArgumentError } from './errors.js';
import type { HandleStreamOptions } from './handle-stream.js';
import { resolveStreamOptions } from './stream-options.js';
import { runBlocking, startRun } from './stream-run.js';

/** A handler's result: handlers may be async; the next event waits for the returned promise. */
export type Awaitable<T> = T | PromiseLike<T>;

/** The stream an event came from, e.g. `['user']`, `['hashtag', 'rust']`, `['public:local']` (Mastodon.py's `for_stream`). */
export type ForStream = readonly string[];

/**
 * Receives the events of one or more streams. Extend it and override the
 * handlers you need; all of them default to no-ops (except `onError`, which
 * logs). The mapping from wire event to handler is `on` + the event name in
 * PascalCase (`status.update` → `onStatusUpdate`), so a handler you define for
 * an event this package does not know yet (`onBlahblah` for `blahblah`) is
 * called too. Events are delivered one at a time, in order; a handler that
 * returns a promise is awaited before the next event.
 *
 * A listener keeps no per-stream state: one instance may serve several
 * streams at once.
 *
 * @example
 * ```ts
 * import { Mastodon, StreamListener, type Status } from '@tootstream/listener';
 *
 * class Printer extends StreamListener {
 *   override onUpdate(status: Status) { console.log(status.account.acct, status.content); }
 *   override onDelete(statusId: string) { console.log('deleted', statusId); }
 * }
 *
 * const mastodon = new Mastodon({ apiBaseUrl: 'https://mastodon.social', accessToken: process.env.TOKEN });
 * await mastodon.streamUser(new Printer());
 * ```
 */
export class StreamListener {
  // The handlers' result is `unknown`, not `void`, so that an override may return any value
  // (`override onUpdate(status) { return seen.push(status); }`), as a callback handler may;
  // a method declared to return `unknown` must say `return undefined`.
  // Each no-op handler is declared with its parameters (what overrides and the docs see) and implemented without
  // them: a no-op reads none, and the bundle every browser downloads then carries none.
  /** A new status (`update`). */
  onUpdate(_status: Status, _forStream?: ForStream): Awaitable<unknown>;
  onUpdate(): Awaitable<unknown> {
    return undefined;
  }

  /** An edited status (`status.update`). */
  onStatusUpdate(_status: Status, _forStream?: ForStream): Awaitable<unknown>;
  onStatusUpdate(): Awaitable<unknown> {
    return undefined;
  }

  /** A deleted status (`delete`); the id is a string, never a number. */
  onDelete(_statusId: string, _forStream?: ForStream): Awaitable<unknown>;
  onDelete(): Awaitable<unknown> {
    return undefined;
  }

  /** A new notification (`notification`). */
  onNotification(_notification: Notification, _forStream?: ForStream): Awaitable<unknown>;
  onNotification(): Awaitable<unknown> {
    return undefined;
  }

  /** A direct conversation changed (`conversation`). */
  onConversation(_conversation: Conversation, _forStream?: ForStream): Awaitable<unknown>;
  onConversation(): Awaitable<unknown> {
    return undefined;
  }

  /** The user's filters changed (`filters_changed`); called without arguments, whatever the data line held. */
  onFiltersChanged(): Awaitable<unknown> {
    return undefined;
  }

  /** A new or changed announcement (`announcement`). */
  onAnnouncement(_announcement: Announcement, _forStream?: ForStream): Awaitable<unknown>;
  onAnnouncement(): Awaitable<unknown> {
    return undefined;
  }

  /** A reaction to an announcement changed (`announcement.reaction`). */
  onAnnouncementReaction(_reaction: AnnouncementReaction, _forStream?: ForStream): Awaitable<unknown>;
  onAnnouncementReaction(): Awaitable<unknown> {
    return undefined;
  }

  /** An announcement was deleted (`announcement.delete`); the id is a string. */
  onAnnouncementDelete(_announcementId: string, _forStream?: ForStream): Awaitable<unknown>;
  onAnnouncementDelete(): Awaitable<unknown> {
    return undefined;
  }

  /** Legacy end-to-end encryption event (`encrypted_message`); the parsed JSON, untyped. */
  onEncryptedMessage(_payload: unknown, _forStream?: ForStream): Awaitable<unknown>;
  onEncryptedMessage(): Awaitable<unknown> {
    return undefined;
  }

  /** Accepted notification requests finished merging (`notifications_merged`); refresh notifications over REST. */
  onNotificationsMerged(): Awaitable<unknown> {
    return undefined;
  }

  /**
   * An event without a handler on this listener. `payload` is the parsed JSON
   * if the data parses, else the raw text. Never called for known events; an
   * unknown name that only maps onto a built-in handler (`Update`, `_delete`,
   * `status_update`) comes here, not to that handler.
   */
  onUnknownEvent(_name: string, _payload: unknown, _forStream?: ForStream): Awaitable<unknown>;
  onUnknownEvent(): Awaitable<unknown> {
    return undefined;
  }

  /**
   * Every event that has a handler, just before that handler, with the payload
   * the handler gets (`undefined` for `filters_changed` and
   * `notifications_merged`). Not called for unknown events.
   */
  onAnyEvent(_name: string, _payload: unknown, _forStream?: ForStream): Awaitable<unknown>;
  onAnyEvent(): Awaitable<unknown> {
    return undefined;
  }

  /**
   * The stream is about to end (or, with `reconnectAsync`, to reconnect)
   * because of `error`: always a real `Error`, typically one of the
   * `Mastodon*Error` classes. Not called for a clean end, `close()`, or a
   * handler's own error (unless `stopOnHandlerError` stops an async stream on it).
   * `willReconnect` (an addition: Mastodon.py passes the error only) is true when a
   * reconnect follows, false when the stream ends with `error`. With this default, an
   * async handle that stops with an error prints it (`console.error`), as Mastodon.py's
   * dying stream thread prints its traceback; an override replaces that.
   *
   * @example
   * ```ts
   * class Logger extends StreamListener {
   *   override onAbort(error: Error, willReconnect?: boolean) {
   *     console.warn(willReconnect ? 'reconnecting after' : 'stopped by', error.message);
   *   }
   * }
   * ```
   */
  // Optional, so a port's `super.onAbort(error)` still compiles; the run always passes it.
  onAbort(_error: Error, _willReconnect?: boolean): Awaitable<unknown>;
  onAbort(): Awaitable<unknown> {
    return undefined;
  }

  /**
   * A problem that does not stop the stream: a malformed event (by default),
   * or a handler error in async mode. The default logs it with `console.warn`.
   */
  onError(error: Error): Awaitable<unknown> {
    // The error itself, not its text: a handler's bug (a TypeError in async mode) is only worth reporting with its stack
    // and cause, which Node, Deno and browsers all print for an Error argument. A malformed event's line is its text: as
    // an object it printed the server's data three times (its details, data and cause), tens of kB per event in a log.
    console.warn('[tootstream/listener]', (error as { code?: unknown }).code == 'MALFORMED_EVENT' ? String(error) : error);
    return undefined;
  }

  /** A comment line arrived: the opening `:)` or Mastodon's `:thump` heartbeat (every 15 s). */
  handleHeartbeat(): Awaitable<unknown> {
    return undefined;
  }

  /**
   * Parses an SSE body you already have and dispatches its events to this
   * listener (Mastodon.py's `handle_stream(response)`). Resolves at the end of
   * the body; rejects otherwise (after `onAbort(err)`, unless a handler threw:
   * then with what it threw). `forStream` is `undefined`.
   *
   * @example
   * ```ts
   * const response = await fetch(`${base}/api/v1/streaming/user`, { headers: { Authorization: `Bearer ${token}` } });
   * await new Printer().handleStream(response.body!);
   * ```
   */
  async handleStream(body: ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string>, options?: HandleStreamOptions): Promise<void> {
    // Few apps feed bodies by hand, so the glue is a chunk loaded on first use; the parsing and dispatch are the stream methods' own, passed in.
    return (await loadChunk(import('./rare-paths.js'))).handleStream(this, body, options, [createClient, startRun, resolveStreamOptions, runBlocking, MastodonIllegalArgumentError]);
  }
}
