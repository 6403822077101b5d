import type { MastodonEvent } from './events.js';

/**
 * A bounded, insertion-ordered set of event keys. When full it forgets the
 * oldest key, so memory stays flat however long the stream runs.
 */
export class DedupeCache {
  private readonly keys = new Set<string>();
  // Insertion order kept in a ring, so forgetting the oldest key allocates nothing.
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string | undefined>(Math.max(1, Math.floor(capacity)));
  }

  /** Remembers `key`; false when it was already known (a duplicate). */
  remember(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.keys.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.ring.length;
    return true;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }
}

/**
 * The identity of an event for duplicate suppression. An edit is keyed by its
 * `edited_at`, so a new edit of the same status is not a duplicate. Events
 * with no stable identity (reactions, unknown events) are never suppressed.
 */
export function dedupeKey(event: MastodonEvent): string | undefined {
  switch (event.event) {
    case 'update':
      return `s:${event.payload.id}`;
    case 'status.update':
      return `e:${event.payload.id}:${event.payload.edited_at ?? ''}`;
    case 'delete':
      return `d:${event.payload}`;
    case 'notification':
      return `n:${event.payload.id}`;
    case 'conversation':
      return `c:${event.payload.id}:${event.payload.last_status?.id ?? ''}`;
    case 'announcement':
      return `a:${event.payload.id}:${event.payload.updated_at ?? ''}`;
    case 'announcement.delete':
      return `ad:${event.payload}`;
    default:
      return undefined;
  }
}

/** The key under which a delete of status `id` is remembered (a tombstone for late updates). */
export function tombstoneKey(id: string): string {
  return `d:${id}`;
}
