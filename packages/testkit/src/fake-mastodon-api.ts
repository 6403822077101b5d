import type { ConversationJson, ConversationOverrides, NotificationJson, StatusJson, StatusNotificationJson, StatusNotificationType } from './entity-json.js';
import type { NotifyOptions, StatusNotifyOptions } from './notify-options.js';
import type { StreamingEventName } from './payload.js';
import type { DeleteStatusOptions, PostStatusOptions } from './status-options.js';
import type { FakeMastodonWebSockets } from './fake-mastodon-websockets.js';
import type { RecordedChunk } from './reads-format.js';
import type { ReplayOptions } from './stream-replayer.js';
import type { StatusOverrides } from './status-overrides.js';
import type { TimelinesAccessOptions } from './viewer-types.js';
import type { FakeViewer } from './viewers.js';
import type { ConnectionFilter, FakeConnection, PublishTarget, RecordedRequest, ScriptedFailure, StreamName } from './types.js';

/**
 * A running fake Mastodon 4.5.7 server (streaming API + the REST endpoints used for discovery
 * and catch-up) on 127.0.0.1. Create it with {@link createFakeMastodon}.
 */
export interface FakeMastodon extends FakeMastodonWebSockets {
  /** `http://127.0.0.1:PORT`; REST and streaming share this origin. */
  readonly url: string;
  readonly port: number;
  /** Currently open SSE streams. */
  readonly connections: ReadonlyArray<FakeConnection>;
  /** SSE requests answered with 200 so far. */
  readonly totalConnections: number;
  /** Every request received, in order (WebSocket upgrades included). */
  readonly requests: ReadonlyArray<RecordedRequest>;

  /**
   * Stops listening, destroys every socket and clears every timer. Idempotent.
   * @example
   * afterEach(() => server.close());
   */
  close(): Promise<void>;
  /**
   * `await using server = await createFakeMastodon()` closes the server at the end of the scope,
   * as `close()` does.
   * @example
   * await using server = await createFakeMastodon();
   */
  [Symbol.asyncDispose](): Promise<void>;

  /**
   * Resolves with the first open, subscribed connection matching `predicate` (default 4 s timeout;
   * without a predicate, one the test has not `stall()`ed), so publishing after it never races the
   * `:)`-before-subscribe gap. Every wait's `timeoutMs` may be `Infinity` (no timeout; `close()`
   * still rejects the wait); a negative or NaN one throws a RangeError at the call.
   * @example
   * const connection = await server.waitForConnection((c) => c.stream === 'hashtag' && c.tag === 'rust');
   */
  waitForConnection(predicate?: ConnectionFilter, options?: { timeoutMs?: number | undefined }): Promise<FakeConnection>;
  /**
   * Resolves once exactly `count` SSE streams are open.
   * @example
   * await server.waitForConnectionCount(0); // the client really hung up
   */
  waitForConnectionCount(count: number, options?: { timeoutMs?: number | undefined }): Promise<void>;

  /**
   * Resolves with the first answered request of `requests` that `predicate` accepts; `index` is
   * its position there (default 4 s timeout). Requests recorded before the call count too,
   * unless `fromNow` is true: then only one that arrives after the call does (not one already
   * recorded and still unanswered, during a `failNext` `delayMs`). A predicate that throws
   * rejects the wait with an error naming it (the thrown error is its `cause`); so do the
   * predicates of the other waits.
   * @example
   * const reply = await server.waitForRequest((r) => r.method === 'POST' && r.path === '/api/v1/statuses', { fromNow: true });
   */
  waitForRequest(
    predicate?: (request: RecordedRequest, index: number) => boolean,
    options?: {
      timeoutMs?: number | undefined;
      /** Only a request that arrives after the call; default false (the first match in `requests`, earlier ones included). */
      fromNow?: boolean | undefined;
    },
  ): Promise<RecordedRequest>;

  /**
   * Raw delivery of one event to connections on exactly that channel; returns the delivery count.
   * Objects are sent as JSON text, strings verbatim; public and hashtag `update`s get `filtered`.
   * @example
   * server.publish({ stream: 'hashtag', tag: 'rust' }, 'update', status);
   * server.publish('user', 'delete', '109348');
   */
  publish(target: StreamName | PublishTarget, event: StreamingEventName | (string & {}), payload?: unknown): number;
  /**
   * Creates, stores and fans out a new status (`update`) with a time-ordered snowflake id;
   * `partial`'s fields replace the generated ones. Each account in `mentions` that owns a token gets
   * a `mention` notification, as from {@link notify} (NotifyService's drops apply); a local author's
   * mentions of accounts it blocks are dropped first (so too at {@link editStatus}), as Mastodon's are.
   * @example
   * const status = server.postStatus({ content: '<p>hi</p>' }, { account: 'carol', tags: ['rust'], media: 1 });
   */
  postStatus(partial?: StatusOverrides, options?: PostStatusOptions): StatusJson;
  /**
   * Changes a stored status, sets `edited_at`, fans out `status.update` where the status went, and does what
   * Mastodon 4.5's edit does for local accounts: a mention the edit adds is notified; each mentioned account
   * that owns a token gets `status.update` on `user:notification` (and on `user` with notification scope:
   * twice if its home has the status too); stored boosters get `update`, accepted quoters `quoted_update`.
   * Existing conversations are not streamed (a mention added to a `direct` status makes that account's);
   * REST shows the edit wherever the status is held (conversations, notifications, boosts, quotes).
   * Changes that leave every field as it is (`edited_at` aside) are no edit (4.5's NoChangesSubmittedError).
   * @example
   * server.editStatus(status.id, { content: '<p>fixed</p>' });
   * server.editStatus(status.id, { content: '<p>fixed</p>' }); // the same text again: no edit, nothing streamed
   */
  editStatus(id: string, changes?: StatusOverrides): StatusJson;
  /**
   * Removes a stored status and fans out `delete` with the bare id, as RemoveStatusService does
   * (wider than updates: public replies to others reach public streams, mentioned accounts'
   * `user` streams get it), its boosts with it (their `delete`s to the homes that had them); false
   * if unknown. `staleInHomeOf` leaves the status's entry in those accounts' home feeds, as Mastodon
   * does for one that reached a home through a followed hashtag (pages count it, then leave it out).
   * @example
   * server.deleteStatus(status.id);
   * server.deleteStatus(spam.id, { staleInHomeOf: ['1001'] }); // alice's home still lists it in Redis
   */
  deleteStatus(id: string, options?: DeleteStatusOptions): boolean;
  /**
   * Creates a notification (sequential id) for `accountId`, stores it and sends it to that
   * account's `user` (scope permitting) and `user:notification` streams. A `mention` without
   * `status` first posts the mentioning status (public, by the sender) and fans it out as for a
   * sender the account does not follow: public and hashtag streams and timelines, the sender's
   * own home if local, not the mentioned account's home. For other cases post the status
   * yourself (`postStatus` with `mentions` and `homeOf`), which notifies the mentioned accounts;
   * a `mention` given a status whose posting already notified the account returns that
   * notification and makes nothing new (one notification per mention). A `favourite`
   * or `reblog` without `status` carries the recipient's own newest public or unlisted status
   * (one made up by the recipient if it has none), as Mastodon's is the status favourited or
   * boosted. A `poll` without `status` carries the sender's status with a poll that has just
   * ended (expired, with results, voted by the recipient), as Mastodon's poll notification does.
   * A `favourite` or `reblog` raises that status's `favourites_count` or
   * `reblogs_count` (in the store for a stored status, so REST shows it; nothing is streamed for
   * it, as on Mastodon). The status is rendered for the recipient (`favourited`, `reblogged`,
   * `muted`, `bookmarked`, `pinned` on its own unless a boost or direct, `filtered`; a boost's
   * nested status likewise), as Mastodon renders notifications. A status-bearing type (the
   * default `mention`, `favourite`, …: {@link StatusNotificationType}) always gets a status, so its
   * `status` is typed as present.
   * @example
   * const mention = server.notify('1001', { type: 'mention', fromAccount: 'bob' });
   * mention.status.id; // the status the bot replies to
   */
  notify(accountId: string, options?: StatusNotifyOptions): StatusNotificationJson;
  /**
   * A notification of another type (`follow`, `admin.report`, …, or one made up): a status only if given.
   * `admin.report`, `severed_relationships` and `moderation_warning` carry their `report`, `event` or
   * `moderation_warning`; the last two (and `annual_report`) come from the recipient unless `fromAccount` is given.
   * @example
   * server.notify('1001', { type: 'follow', fromAccount: 'carol' }).status; // undefined
   */
  notify(accountId: string, options?: NotifyOptions): NotificationJson;
  /**
   * Sends a `conversation` event to the `direct` streams of `accountId` and stores it for
   * `GET /api/v1/conversations` (the same id again replaces it and moves it to the top), for exact
   * control: posting a `direct` status with `mentions` already makes the author's and the notified
   * mentioned accounts' conversations, as Mastodon does, so script none for such a status.
   * @example
   * const dm = server.postStatus({ content: '<p>@alice psst</p>' }, { account: 'bob', visibility: 'direct', homeOf: ['1001'] });
   * server.conversation('1001', { id: '77', last_status: dm }).last_status?.id; // dm.id
   */
  conversation(accountId: string, partial?: ConversationOverrides): ConversationJson;
  /**
   * Writes raw bytes (as one chunk) to live SSE connections, e.g. malformed events.
   * @example
   * server.pushRaw('event: update\r\ndata: {}\r\n\r\n');
   */
  pushRaw(bytes: string | Uint8Array, filter?: ConnectionFilter): void;

  /**
   * Ends streams cleanly with the chunked terminator, like a token kill.
   * @example
   * server.endStreams((c) => c.stream === 'user');
   */
  endStreams(filter?: ConnectionFilter): void;
  /**
   * Ends the token's SSE streams cleanly, sends its WebSockets a close frame without code (the
   * client sees 1005) and answers later connects with 401 `Invalid access token`.
   * @example
   * server.revokeToken('peer-test-token');
   */
  revokeToken(token: string): void;
  /**
   * Disables the account's user login, as a moderator does: every SSE stream of the account
   * ends cleanly (`0\r\n\r\n`), every WebSocket gets `88 00`, and its tokens then get 401
   * `Invalid access token` on connect and upgrade until {@link FakeMastodon.reinstateAccount}.
   * On REST, home, list, notifications and conversations answer 403 `Your login is currently
   * disabled`; the other endpoints still serve the token.
   * @example
   * server.disableUser('1002');
   */
  disableUser(accountId: string): void;
  /**
   * Suspends the account; on the streaming API this looks exactly like {@link FakeMastodon.disableUser}.
   * On REST every endpoint but the instance ones answers its tokens 403 `Your login is currently
   * disabled`, before any scope check.
   * @example
   * server.suspendAccount('1001');
   */
  suspendAccount(accountId: string): void;
  /**
   * Lifts a disable or suspension; connects with the account's tokens work again.
   * @example
   * server.reinstateAccount('1002');
   */
  reinstateAccount(accountId: string): void;
  /**
   * Destroys sockets without the terminator (a crash); `midFrame` writes half an event first.
   * @example
   * server.dropConnections(undefined, { midFrame: true });
   */
  dropConnections(filter?: ConnectionFilter, options?: { midFrame?: boolean | undefined }): void;
  /**
   * Stops all output (events, heartbeats, terminator) to the connections; sockets stay open.
   * Events published meanwhile are lost for them. With `keepHeartbeats`, heartbeats (and
   * `pushRaw`, and the terminator) still flow and only events are lost, as when the server's
   * Redis is down.
   * @example
   * server.stall(); // a half-open connection: the client's idle timeout must fire
   * server.stall(undefined, { keepHeartbeats: true }); // alive but deaf: only a gap check notices
   */
  stall(filter?: ConnectionFilter, options?: { keepHeartbeats?: boolean | undefined }): void;
  /**
   * Undoes {@link FakeMastodon.stall}.
   * @example
   * server.resume();
   */
  resume(filter?: ConnectionFilter): void;
  /**
   * While on, SSE output is written one byte per chunk, one event-loop turn apart.
   * @example
   * server.trickle(true);
   */
  trickle(enabled: boolean): void;
  /**
   * Scripts the answer to the next matching request(s), in FIFO order.
   * @example
   * server.failNext({ status: 503, headers: { 'Retry-After': '1' }, times: 2 });
   * server.failNext({ paths: 'rest', status: 429 });
   */
  failNext(failure: ScriptedFailure): void;
  /**
   * The next `times` REST requests (default 1) get Mastodon's rate-limit answer: 429
   * `{"error":"Too many requests"}` with `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0` and
   * `X-RateLimit-Reset` `resetInMs` from now (default: the end of the current window, 5 or 15 minutes),
   * and no `Retry-After`, as Mastodon's throttle answers. Streaming requests are not affected.
   * @example
   * server.rateLimitNext({ resetInMs: 2_000 });
   */
  rateLimitNext(options?: { times?: number | undefined; resetInMs?: number | undefined }): void;
  /**
   * Drops every connection, stops listening (connects get ECONNREFUSED) and listens again on
   * the same port after `downMs` (default 100 ms); resolves when listening again. With
   * `downMs: Infinity` it stays down until `close()`, which resolves it.
   * @example
   * await server.restart(); // down for 100 ms
   * await server.restart({ downMs: 500 });
   */
  restart(options?: {
    /** How long connects are refused; default 100 ms. */
    downMs?: number | undefined;
  }): Promise<void>;
  /**
   * Health endpoint answers 200 `OK` when healthy, 503 otherwise.
   * @example
   * server.setHealthy(false);
   */
  setHealthy(healthy: boolean): void;

  /**
   * The filtering state of one account (languages, blocks, mutes, domain blocks, keyword filters,
   * feed permission) as public and hashtag streams apply it (see Filtering in the README); personal streams,
   * deletes, notifications, announcements and conversations are never filtered.
   * @example
   * server.viewer('1001').block('1002'); // alice no longer gets bob's public statuses
   */
  viewer(accountId: string): FakeViewer;
  /**
   * Changes the feed access settings; omitted origins keep their value. Streams and WebSocket
   * subscriptions already open keep the settings they started with (4.5.7 reads them once per
   * subscription); `/api/v2/instance` and REST timelines follow at once.
   * @example
   * server.setTimelinesAccess({ liveFeeds: { local: 'disabled' } });
   */
  setTimelinesAccess(changes: TimelinesAccessOptions): void;
  /**
   * Turns reorder mode on (`delayMs` > 0; `Infinity` holds those updates for good) or off (0); see `reorderUpdatesMs`.
   * @example
   * server.setReorderUpdates(20);
   * server.deleteStatus(server.postStatus().id); // clients get the delete, then the update
   */
  setReorderUpdates(delayMs: number): void;
  /**
   * Answers the next stream connect (after any `failNext`) with a recording instead of a live
   * stream: its bytes (status line, headers, chunked body) go out verbatim, one write per
   * recorded read, with the recorded gaps times `timeScale`. Accepts `.reads.txt` text or chunks
   * from `recordStream`/`parseReads`. Queued replays are used in order.
   * @example
   * server.replayNext(readFileSync('sse-user.reads.txt', 'utf8'), { timeScale: 0.01 });
   */
  replayNext(recording: string | readonly RecordedChunk[], options?: ReplayOptions): void;
}
