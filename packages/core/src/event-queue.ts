import type { MastodonEvent } from './events.js';

/**
 * The events parsed from one network read, waiting for the consumer, and the
 * reports (heartbeat hooks, malformed-event errors) that came between them:
 * a report runs when the consumer pulls past it, so hooks keep stream order.
 * Holds one read's worth at most, because the session reads only when empty.
 */
export interface EventQueue {
  queueEvent(event: MastodonEvent): void;
  /** Runs `report` after the events queued so far are taken (at once when there are none). */
  queueReport(report: () => void): void;
  /** The next event, running the reports queued before it; undefined when empty. */
  nextEvent(): MastodonEvent | undefined;
  /** Drops what is waiting, reports included (the consumer has gone). */
  discardAll(): void;
}

/** (Closures rather than a class: local names minify where `this.#field` reads cannot.) */
export const eventQueue = (): EventQueue => {
  let entries: Array<MastodonEvent | (() => void)> = [];
  let head = 0;
  const discardAll = (): void => {
    entries = [];
    head = 0;
  };
  return {
    queueEvent(event) {
      entries.push(event);
    },
    queueReport(report) {
      if (head < entries.length) entries.push(report);
      else report();
    },
    nextEvent() {
      while (head < entries.length) {
        const entry = entries[head++] as MastodonEvent | (() => void);
        if (head === entries.length) discardAll();
        if (typeof entry !== 'function') return entry;
        entry();
      }
      return undefined;
    },
    discardAll,
  };
};
