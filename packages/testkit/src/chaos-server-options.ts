// What createChaosServer takes, and the table of those names it refuses any other name by (see
// option-names.ts); apart from the server so that file stays about the script it plays.
import type { OptionNames } from './option-names.js';

/** Options of {@link createChaosServer}. */
export interface ChaosServerOptions {
  /** Picks every choice the server makes (events, splits, endings, REST answers), so a seed reruns the same script; ids follow the clock, and when the client's requests arrive is the client's timing. */
  seed: number;
  /** Streaming connections answered before the run ends (refusals do not count). Default 8. */
  connections?: number | undefined;
  /** `'public'` (default) serves the public timeline for catch-up; `'user'` the home timeline and notifications, and streams notifications too. */
  stream?: 'public' | 'user' | undefined;
  /** The client's `maxEventBytes`: an oversized event is this plus 100 bytes. Default 4096. */
  maxEventBytes?: number | undefined;
}

export const CHAOS_SERVER_OPTIONS = {
  seed: 'required',
  connections: 'optional',
  stream: 'optional',
  maxEventBytes: 'optional',
} as const satisfies OptionNames<ChaosServerOptions>;
