import type { MastodonEvent } from './events.js';

/**
 * The events parsed from one network read, waiting for the consumer, and the
 * reports (heartbeat hooks, malformed-event errors) that came between them:
 * a report runs when the consumer pulls past it, so hooks keep stream order.
 * Holds one read's worth at most, because the session reads only when empty.
 */
export class EventQueue {
  #entries: Array<MastodonEvent | (() => void)> = [];
  #head = 0;

  queueEvent(event: MastodonEvent): void {
    this.#entries.push(event);
  }

  /** Runs `report` after the events queued so far are taken (at once when there are none). */
  queueReport(report: () => void): void {
    if (this.#head < this.#entries.length) this.#entries.push(report);
    else report();
  }

  /** The next event, running the reports queued before it; undefined when empty. */
  nextEvent(): MastodonEvent | undefined {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head++] as MastodonEvent | (() => void);
      if (this.#head === this.#entries.length) this.discardAll();
      if (typeof entry !== 'function') return entry;
      entry();
    }
    return undefined;
  }

  /** Drops what is waiting, reports included (the consumer has gone). */
  discardAll(): void {
    this.#entries = [];
    this.#head = 0;
  }
}
