// `@tootstream/testkit/ledger`: the chaos oracle, without the chaos server.
// It holds what a client delivered against a chaos server's ledger and says
// what is wrong. Nothing in this module graph imports `node:*` or anything
// else outside it, so a browser or Deno can load it while the server
// (`createChaosServer`, main entry) runs in Node; the main entry re-exports
// all of it. A test (test/ledger-entry.test.ts) holds the graph node-free.

export type { ChaosConnection, ChaosEventKind, ChaosLedger } from './chaos-ledger.js';
export { CHAOS_FINAL_MARKER, findChaosTag, findChaosTagOfId } from './chaos-tags.js';
export { chaosLedgerFromJson, chaosLedgerToJson } from './chaos-ledger-json.js';
export type { ChaosLedgerJson } from './chaos-ledger-json.js';
export { assertNoChaosViolations, ChaosViolationError } from './chaos-violations.js';
export type { ChaosRule, ChaosViolation } from './chaos-violations.js';
export { checkChaosConnectionOrder, countChaosInterruptions } from './chaos-connections.js';
export type { ChaosConnectionOrderOptions } from './chaos-connections.js';
export { checkChaosNotifications, checkChaosStatuses } from './chaos-timeline.js';
export type { ChaosTimelineOptions } from './chaos-timeline.js';
export { checkChaosCatchUpOrder } from './chaos-catch-up-order.js';
export type { ChaosCatchUpItem } from './chaos-catch-up-order.js';
export { checkChaosStreamsClosed } from './chaos-open-streams.js';
export type { ChaosStreamCounter, ChaosStreamsClosedOptions } from './chaos-open-streams.js';
export { chaosSeeds } from './chaos-seeds.js';
export type { ChaosSeedsOptions } from './chaos-seeds.js';
