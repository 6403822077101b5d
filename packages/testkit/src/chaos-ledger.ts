// What a chaos server did, kept so a test can tell what a correct client must
// deliver (see chaos-server.ts). Types only: this file is part of the node-free
// `@tootstream/testkit/ledger` entry (ledger.ts), which browsers import too.

/** What an event the server wrote is: a status (maybe with invalid UTF-8 in it), a delete, an unknown event, unparseable JSON, or JSON of the wrong shape. */
export type ChaosEventKind = 'status' | 'badUtf8Status' | 'notification' | 'delete' | 'unknown' | 'malformed' | 'invalid';

/** What one streaming connection was answered with. */
export interface ChaosConnection {
  /** How it ended: `drop` cuts it mid-event, so only a prefix of `written` may arrive; every other ending delivers all. */
  ending: 'end' | 'drop' | 'stall' | 'oversize' | 'final';
  newline: string;
  /** Tags of the complete events written, in order (see {@link ChaosLedger.kinds}). */
  written: string[];
}

/** What the server did, so a test can tell what a correct client must deliver. */
export interface ChaosLedger {
  /** Streaming answers in order; refused ones are not connections (they are in `script`). */
  connections: ChaosConnection[];
  /** What each event tag is. Tags look like `c2e5` (connection 2, event 5) and travel inside the event as `tag:c2e5`. */
  kinds: Map<string, ChaosEventKind>;
  /** The status id or delete id behind a tag. */
  idOfTag: Map<string, string>;
  /** Every status in the timeline (streamed or posted while nobody listened), in id order. */
  posted: string[];
  /** Statuses a successful catch-up page handed out. */
  served: Set<string>;
  /** Notifications (`user` stream only), as `posted` and `served` are for statuses. */
  postedNotifications: string[];
  servedNotifications: Set<string>;
  /** How each request was answered, for failure messages. */
  script: string[];
  /** The status id that ends the run (`undefined` when it ends with a refused connection instead). */
  finalStatusId: string | undefined;
}
