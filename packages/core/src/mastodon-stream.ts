import type { StreamCursor } from './cursor.js';
import type { MastodonEvent } from './events.js';
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
  readonly #loops: StreamLoops;

  /** @internal Streams are made by a client: `client.stream(...)`. */
  constructor(name: StreamName, params: StreamParams, loops: StreamLoops) {
    this.name = name;
    this.params = Object.freeze({ ...params });
    this.#loops = loops;
  }

  /**
   * Starts an iteration (connecting lazily on its first `next()`); after {@link close}, one that has ended. A loop
   * started after the latest one ended goes on from where that one got to (its cursor), with catch-up: a supervisor
   * that loops again after a fatal error neither repeats the original cursor's backfill nor loses what came in between.
   *
   * @example
   * ```ts
   * const events = stream[Symbol.asyncIterator](); // what for await does
   * const first = await events.next();
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<MastodonEvent, undefined> {
    return this.#loops.startLoop();
  }

  /**
   * The state needed to resume with catch-up: plain JSON, safe to persist and
   * pass back as `options.cursor`, even to a new process. Persist it in
   * `onOpen`, after each event you handled, and when you stop (the README's
   * "bot that resumes").
   *
   * @example
   * ```ts
   * await fs.writeFile('cursor.json', JSON.stringify(stream.cursor()));
   * // later (a first run has no file yet, and starts without a cursor):
   * const cursor = await fs.readFile('cursor.json', 'utf8').then(JSON.parse, () => undefined);
   * client.user({ cursor });
   * ```
   */
  cursor(): StreamCursor {
    return this.#loops.latestCursor();
  }

  /**
   * Live counters: state, reconnects, last event and heartbeat times.
   * @example
   * ```ts
   * setInterval(() => console.log(stream.stats.state, stream.stats.eventsDelivered), 60_000);
   * ```
   */
  get stats(): Readonly<StreamStats> {
    return this.#loops.stats;
  }

  /**
   * Ends every iteration of this stream and closes their connections at once; a loop started later ends at once.
   * @example
   * ```ts
   * setTimeout(() => void stream.close(), 60_000); // stop after a minute, wherever the loops are
   * ```
   */
  async close(): Promise<void> {
    this.#loops.closeLoops();
  }

  /**
   * `await using stream = client.user()` closes the stream at the end of the scope.
   * @example
   * ```ts
   * await using stream = client.user();
   * for await (const event of stream) if (event.event === 'notification') break;
   * ```
   */
  [asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The loops (iterations) of one stream, behind its {@link MastodonStream}: their state lives in the client's
 * closures, not in fields of the class (local names minify where `this.#field` reads cannot).
 */
export interface StreamLoops {
  readonly stats: Readonly<StreamStats>;
  /** See `MastodonStream[Symbol.asyncIterator]`. */
  startLoop(): AsyncIterator<MastodonEvent, undefined>;
  /** See `MastodonStream.cursor`. */
  latestCursor(): StreamCursor;
  /** See `MastodonStream.close`. */
  closeLoops(): void;
}
