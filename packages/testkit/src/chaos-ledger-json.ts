// A chaos ledger as JSON, for a client in another process or runtime than the
// server (Deno, a browser): Maps become objects and Sets arrays on the way out,
// and are restored on the way in, so the oracle's checks take either.
import type { ChaosConnection, ChaosEventKind, ChaosLedger } from './chaos-ledger.js';

/** {@link ChaosLedger} as `JSON.stringify` can carry it. */
export interface ChaosLedgerJson {
  connections: Array<{ ending: ChaosConnection['ending']; newline: string; written: string[] }>;
  kinds: Record<string, ChaosEventKind>;
  idOfTag: Record<string, string>;
  posted: string[];
  served: string[];
  postedNotifications: string[];
  servedNotifications: string[];
  script: string[];
  /** Absent when the run ends with a refused connection (JSON has no `undefined`). */
  finalStatusId?: string | undefined;
}

/**
 * A copy of `ledger` that survives `JSON.stringify` (see {@link chaosLedgerFromJson}).
 *
 * @example
 * response.end(JSON.stringify(chaosLedgerToJson(chaos.ledger)));
 */
export function chaosLedgerToJson(ledger: ChaosLedger): ChaosLedgerJson {
  return {
    connections: ledger.connections.map((connection) => ({ ...connection, written: [...connection.written] })),
    kinds: Object.fromEntries(ledger.kinds),
    idOfTag: Object.fromEntries(ledger.idOfTag),
    posted: [...ledger.posted],
    served: [...ledger.served],
    postedNotifications: [...ledger.postedNotifications],
    servedNotifications: [...ledger.servedNotifications],
    script: [...ledger.script],
    ...(ledger.finalStatusId === undefined ? {} : { finalStatusId: ledger.finalStatusId }),
  };
}

/**
 * The {@link ChaosLedger} that `json` describes, with its Maps and Sets back,
 * ready for the oracle's checks.
 *
 * @throws TypeError when `json` does not look like a chaos ledger
 *
 * @example
 * const ledger = chaosLedgerFromJson(await (await fetch(`${control}/chaos/1/ledger`)).json());
 * assertNoChaosViolations(checkChaosConnectionOrder(ledger, liveTags));
 */
export function chaosLedgerFromJson(json: ChaosLedgerJson): ChaosLedger {
  const lists = [json?.connections, json?.posted, json?.served, json?.postedNotifications, json?.servedNotifications, json?.script];
  if (!lists.every(Array.isArray) || typeof json.kinds !== 'object' || typeof json.idOfTag !== 'object') {
    throw new TypeError('not a chaos ledger as JSON: expected connections, posted, served, postedNotifications, servedNotifications and script arrays and kinds and idOfTag objects');
  }
  return {
    connections: json.connections.map((connection) => ({ ...connection, written: [...connection.written] })),
    kinds: new Map(Object.entries(json.kinds)),
    idOfTag: new Map(Object.entries(json.idOfTag)),
    posted: [...json.posted],
    served: new Set(json.served),
    postedNotifications: [...json.postedNotifications],
    servedNotifications: new Set(json.servedNotifications),
    script: [...json.script],
    finalStatusId: json.finalStatusId,
  };
}
