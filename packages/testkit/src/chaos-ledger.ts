// What a chaos server did, kept so a test can tell what a correct client must
// deliver (see chaos-server.ts). Types and one empty-ledger maker, nothing else:
// this file is part of the node-free `@tootstream/testkit/ledger` entry
// (ledger.ts), which browsers import too.

/** What an event the server wrote is: a status (maybe with invalid UTF-8 in it), a delete, an unknown event, unparseable JSON, or JSON of the wrong shape. */
export type ChaosEventKind = 'status' | 'badUtf8Status' | 'notification' | 'delete' | 'unknown' | 'malformed' | 'invalid';

/** What one streaming connection was answered with. */
export interface ChaosConnection {
  /** How it ended: `drop` cuts it mid-event, so only a prefix of `written` may arrive; every other ending delivers all. */
  readonly ending: 'end' | 'drop' | 'stall' | 'oversize' | 'final';
  readonly newline: string;
  /** Tags of the complete events written, in order (see {@link ChaosLedger.kinds}). */
  readonly written: readonly string[];
}

/**
 * What the server did, so a test can tell what a correct client must deliver. Read-only all the
 * way down: `ChaosServer.ledger` is the one the server keeps writing while it runs, and a test
 * that changed it would change what the oracle's checks expect.
 */
export interface ChaosLedger {
  /** Streaming answers in order; refused ones are not connections (they are in `script`). */
  readonly connections: readonly ChaosConnection[];
  /** What each event tag is. Tags look like `c2e5` (connection 2, event 5) and travel inside the event as `tag:c2e5`. */
  readonly kinds: ReadonlyMap<string, ChaosEventKind>;
  /** The status id or delete id behind a tag. */
  readonly idOfTag: ReadonlyMap<string, string>;
  /** Every status in the timeline (streamed or posted while nobody listened), in id order. */
  readonly posted: readonly string[];
  /** Statuses a successful catch-up page handed out. */
  readonly served: ReadonlySet<string>;
  /** Notifications (`user` stream only), as `posted` and `served` are for statuses. */
  readonly postedNotifications: readonly string[];
  readonly servedNotifications: ReadonlySet<string>;
  /** How each request was answered, for failure messages. */
  readonly script: readonly string[];
  /** The status id that ends the run (`undefined` when it ends with a refused connection instead). */
  readonly finalStatusId: string | undefined;
}

/** A {@link ChaosConnection} as the chaos server writes it (internal). */
export interface ChaosConnectionRecord {
  ending: ChaosConnection['ending'];
  newline: string;
  written: string[];
}

/** The chaos server's own, growing {@link ChaosLedger} (internal). */
export interface ChaosLedgerRecord {
  connections: ChaosConnectionRecord[];
  kinds: Map<string, ChaosEventKind>;
  idOfTag: Map<string, string>;
  posted: string[];
  served: Set<string>;
  postedNotifications: string[];
  servedNotifications: Set<string>;
  script: string[];
  finalStatusId: string | undefined;
}

/**
 * A new, empty ledger record: what a chaos server starts writing, and what a test that needs a
 * ledger with nothing in it starts from, so the two cannot list different fields (internal).
 */
export function emptyChaosLedger(): ChaosLedgerRecord {
  return {
    connections: [],
    kinds: new Map(),
    idOfTag: new Map(),
    posted: [],
    served: new Set(),
    postedNotifications: [],
    servedNotifications: new Set(),
    script: [],
    finalStatusId: undefined,
  };
}
