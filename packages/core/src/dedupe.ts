import type { MastodonEvent } from './events.js';

/**
 * A bounded, insertion-ordered set of event keys. When full it forgets the
 * oldest key, so memory stays flat however long the stream runs.
 */
export class DedupeCache {
  readonly #keys = new Set<string>();
  // Insertion order kept in a ring, so forgetting the oldest key allocates nothing.
  readonly #ring: Array<string | undefined>;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array<string | undefined>(Math.max(1, Math.floor(capacity)));
  }

  /** Remembers `key`; false when it was already known (a duplicate). */
  remember(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#keys.delete(evicted);
    this.#ring[this.#next] = key;
    this.#next = (this.#next + 1) % this.#ring.length;
    return true;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  get size(): number {
    return this.#keys.size;
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

  constructor(capacity: number) {
    this.#statuses = new DedupeCache(capacity);
    this.#notifications = new DedupeCache(capacity);
    this.#deletes = new DedupeCache(capacity);
    this.#others = new DedupeCache(capacity);
  }

  /**
   * False when `event` was delivered before, or is an `update` of a status
   * already deleted (the server can send the delete first). An edit is keyed
   * by its `edited_at`, so a new edit is never a duplicate. Events with no
   * stable identity (reactions, unknown events) always pass.
   */
  admit(event: MastodonEvent): boolean {
    switch (event.event) {
      case 'update':
        return !this.#deletes.has(event.payload.id) && this.#statuses.remember(event.payload.id);
      case 'notification':
        return this.#notifications.remember(event.payload.id);
      case 'delete':
        return this.#deletes.remember(event.payload);
      case 'status.update':
        return this.#others.remember(`e:${event.payload.id}:${event.payload.edited_at ?? ''}`);
      case 'conversation':
        return this.#others.remember(`c:${event.payload.id}:${event.payload.last_status?.id ?? ''}`);
      case 'announcement':
        return this.#others.remember(`a:${event.payload.id}:${event.payload.updated_at ?? ''}`);
      case 'announcement.delete':
        return this.#others.remember(`ad:${event.payload}`);
      default:
        return true;
    }
  }
}
