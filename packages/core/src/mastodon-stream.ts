import type { StreamCursor } from './cursor.js';
import type { MastodonEvent } from './events.js';
import type { StreamObserver } from './stream-observer.js';
import type { StreamSession } from './stream-session.js';
import type { StreamStats } from './stream-hooks.js';
import type { StreamName, StreamParams } from './stream-names.js';

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * A Mastodon stream as an `AsyncIterable<MastodonEvent>`. Nothing is
 * requested until the first iteration; `break`, `return()`, the caller's
 * AbortSignal or `await using` close the connection.
 *
 * @example
 * ```ts
 * const stream = client.hashtag('rust');
 * for await (const event of stream) {
 *   if (event.event === 'update') console.log(event.payload.account.acct, event.payload.content);
 * }
 * ```
 */
export class MastodonStream implements AsyncIterable<MastodonEvent> {
  /** Mastodon's name of this stream. */
  declare readonly name: StreamName;
  /** Its `tag` / `list` parameters. */
  declare readonly params: Readonly<StreamParams>;
  readonly #createSession: (live: Set<StreamSession>, resumeFrom: StreamCursor | undefined) => StreamSession;
  readonly #observer: StreamObserver;
  /** The cursor before the first iteration: the one the stream resumes from, or a fresh one on the client's clock. */
  readonly #initialCursor: () => StreamCursor;
  #session: StreamSession | undefined;
  /** Every loop still running: each iteration is its own session and connection. */
  readonly #live = new Set<StreamSession>();
  #closed = false;

  /** @internal Streams are made by a client: `client.stream(...)`. */
  constructor(
    name: StreamName,
    params: StreamParams,
    observer: StreamObserver,
    createSession: (live: Set<StreamSession>, resumeFrom: StreamCursor | undefined) => StreamSession,
    initialCursor: () => StreamCursor,
  ) {
    this.name = name;
    this.params = Object.freeze({ ...params });
    this.#observer = observer;
    this.#createSession = createSession;
    this.#initialCursor = initialCursor;
  }

  /**
   * Starts an iteration (connecting lazily on its first `next()`); after {@link close}, one that has ended. A loop
   * started after the latest one ended goes on from where that one got to (its cursor), with catch-up: a supervisor
   * that loops again after a fatal error neither repeats the original cursor's backfill nor loses what came in between.
   */
  [Symbol.asyncIterator](): AsyncIterator<MastodonEvent, undefined> {
    const session = this.#createSession(this.#live, this.#session?.resumeCursor());
    // A closed stream stays closed, as an aborted signal does (a shutdown that came before the loop started); its
    // cursor stays the last loop's.
    if (this.#closed) void session.return();
    else this.#session = session;
    return session;
  }

  /**
   * The state needed to resume with catch-up: plain JSON, safe to persist and
   * pass back as `options.cursor`, even to a new process.
   *
   * @example
   * ```ts
   * await fs.writeFile('cursor.json', JSON.stringify(stream.cursor()));
   * // later: client.user({ cursor: JSON.parse(await fs.readFile('cursor.json', 'utf8')) })
   * ```
   */
  cursor(): StreamCursor {
    return this.#session?.cursor() ?? this.#initialCursor();
  }

  /** Live counters: state, reconnects, last event and heartbeat times. */
  get stats(): Readonly<StreamStats> {
    return this.#observer.stats;
  }

  /** Ends every iteration of this stream and closes their connections at once; a loop started later ends at once. */
  async close(): Promise<void> {
    this.#closed = true;
    // return() finishes a session synchronously (only its result is async), removing it from the set as this walks it.
    for (const session of this.#live) void session.return();
  }

  /** `await using stream = client.user()` closes the stream at the end of the scope. */
  [asyncDispose](): Promise<void> {
    return this.close();
  }
}
