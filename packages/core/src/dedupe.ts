import type { MastodonEvent } from './events.js';
import { compareIds } from './ids.js';

/**
 * A bounded set of event keys that remembers at least the last `capacity`
 * keys and at most twice as many, so memory stays flat however long the
 * stream runs.
 */
export class DedupeCache {
  // Two generations instead of a ring with per-key deletes: a full generation
  // is dropped whole, which costs about 40 % less per key than evicting the
  // oldest key on every insert, and it never remembers fewer than `capacity`.
  #current = new Set<string>();
  #previous = new Set<string>();
  readonly #generationSize: number;

  constructor(capacity: number) {
    this.#generationSize = Math.floor(capacity); // at least 1: the option checks see to it
  }

  /** Remembers `key`; false when it was already known (a duplicate). */
  remember(key: string): boolean {
    if (this.has(key)) return false;
    this.#current.add(key);
    if (this.#current.size >= this.#generationSize) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    return true;
  }

  has(key: string): boolean {
    return this.#current.has(key) || this.#previous.has(key);
  }
}

/**
 * Remembers which events were delivered, per kind, so that the keys are the
 * ids themselves: no key string is built for the common `update` and
 * `notification` events (that allocation was most of the cost of dedupe).
 */
export class EventDeduplicator {
  readonly #statuses: DedupeCache;
  readonly #notifications: DedupeCache;
  readonly #deletes: DedupeCache;
  readonly #others: DedupeCache;
  /** Conversation id → the state last delivered (newest status and `unread`), its status id, and whether a catch-up delivered it. */
  #conversations = new Map<string, [state: string, lastStatusId: string, caughtUp: boolean]>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#statuses = new DedupeCache(capacity);
    this.#notifications = new DedupeCache(capacity);
    this.#deletes = new DedupeCache(capacity);
    this.#others = new DedupeCache(capacity);
  }

  /**
   * False when `event` was delivered before, or is an `update` or `status.update`
   * of a status already deleted (the server can send the delete first). A `status.update`
   * is otherwise never a duplicate; a conversation is keyed by the state last delivered. Events with no stable identity (reactions,
   * unknown events) always pass, and so does `announcement.delete`: Mastodon
   * deletes the same announcement id again each time it is published and withdrawn.
   */
  admit(event: MastodonEvent): boolean {
    const { payload } = event as { payload?: unknown };
    // Id events carry the id itself; every other payload names its entity by `id`.
    if (event.event === 'delete') return this.#deletes.remember(event.payload);
    const id = (payload as { id?: unknown } | null | undefined)?.id;
    // With validation off a payload may have no id: nothing recognises it as seen before, so it passes.
    if (typeof id !== 'string') return true;
    switch (event.event) {
      case 'update':
        return !this.#deletes.has(id) && this.#statuses.remember(id);
      case 'notification':
        return this.#notifications.remember(id);
      case 'status.update':
        // Dropped only after its delete (the server can send the delete first). Never as a repeat: Mastodon 4.5 sends
        // one with the same edited_at when a quote is accepted or revoked or a quote policy changes, and a repeat of a
        // status's new state is harmless where a lost one would leave it stale.
        return !this.#deletes.has(id);
      case 'conversation': {
        // A conversation is state: only a repeat of the state last delivered is a duplicate. A change is news even
        // when it goes back (Mastodon shows the previous message once the newest is deleted) or only flips
        // `unread` (it streams a conversation marked read).
        const lastStatusId = event.payload.last_status?.id ?? '';
        const state = `${lastStatusId} ${event.payload.unread}`;
        const known = this.#conversations.get(id);
        if (known?.[0] === state) return false;
        // A catch-up shows a conversation as REST has it then, while the live connection (opened first) may
        // still hold its earlier updates: those are stale, unless the newer status was deleted since.
        if (event.source === 'live' && known?.[2] && compareIds(lastStatusId, known[1]) < 0 && !this.#deletes.has(known[1])) return false;
        // Bounded as the caches are: past `capacity` conversations it starts afresh.
        if (this.#conversations.set(id, [state, lastStatusId, event.source === 'catchup']).size > this.#capacity) this.#conversations = new Map();
        return true;
      }
      case 'announcement':
        return this.#others.remember(`a:${id}:${event.payload.updated_at ?? ''}`);
      default:
        return true;
    }
  }

}
