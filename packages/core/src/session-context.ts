import type { Clock, RandomSource } from './clock.js';
import type { SettledStreamOptions } from './option-checks.js';
import type { Rest } from './rest.js';
import type { ConnectionRequest } from './sse-connection.js';
import type { StreamObserver } from './stream-observer.js';
import type { StreamSession } from './stream-session.js';
import type { StreamRequest } from './stream-names.js';

/** What a stream session needs from its client. */
export interface SessionContext {
  resolvedRequest: StreamRequest;
  settledOptions: SettledStreamOptions;
  clockSource: Clock;
  randomSource: RandomSource;
  /** The client's REST calls (ky), loaded on first use. */
  loadRest(): Promise<Rest>;
  /** Streaming URL and fresh token, once per attempt (`signal` withdraws from a shared discovery); its headers serve the catch-up too. */
  prepareAttempt(signal: AbortSignal): Promise<ConnectionRequest>;
  /** The REST API's base URL (the catch-up's). */
  apiBase: string;
  streamObserver: StreamObserver;
  /** The stream's unfinished sessions: a session is in it from its start to its end, so `close()` reaches every loop. */
  liveSessions: Set<StreamSession>;
}
