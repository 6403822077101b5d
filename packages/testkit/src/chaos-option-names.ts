// The names of the chaos oracle's options, one table per options type, held to its type (see
// OptionNames): a misspelt `everyCatchUpSucceeded` would otherwise read as false and quietly skip
// the check for missing statuses, and a misspelt `count` would run no seed at all. Part of the
// node-free `@tootstream/testkit/ledger` graph.
import type { ChaosConnectionOrderOptions } from './chaos-connections.js';
import type { ChaosStreamsClosedOptions } from './chaos-open-streams.js';
import type { ChaosSeedsOptions } from './chaos-seeds.js';
import type { ChaosTimelineOptions } from './chaos-timeline.js';
import type { OptionNames } from './option-names.js';

export const CHAOS_CONNECTION_ORDER_OPTIONS = { caughtUpIds: 'optional' } as const satisfies OptionNames<ChaosConnectionOrderOptions>;

export const CHAOS_TIMELINE_OPTIONS = { everyCatchUpSucceeded: 'required' } as const satisfies OptionNames<ChaosTimelineOptions>;

export const CHAOS_STREAMS_CLOSED_OPTIONS = { withinMs: 'optional' } as const satisfies OptionNames<ChaosStreamsClosedOptions>;

export const CHAOS_SEEDS_OPTIONS = { first: 'required', count: 'required', override: 'optional' } as const satisfies OptionNames<ChaosSeedsOptions>;
