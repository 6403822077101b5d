import { STATUS_CODES } from 'node:http';
import { optionalDuration, runAfter, type CancelTimer } from './durations.js';
import { streamRejection, type StreamRejectionReason, type StreamingErrorTexts } from './streaming-rejections.js';
import type { ScriptedFailure } from './types.js';

/** Which kind of request is asking, to match {@link ScriptedFailure.paths}. */
export type RequestKind = 'streaming' | 'rest' | 'other';

/** Who would have answered the request: its default error text is that server's. */
export interface AnsweringServer {
  server: 'streaming' | 'rails';
  /** The streaming server's wording (`streamingErrorTexts`). */
  texts: StreamingErrorTexts;
}

/** A scripted answer ready to send. */
export interface ScriptedAnswer {
  status: number;
  body: string;
  /** The test gave no body: `body` is the answering server's own error for the status. */
  isDefaultBody: boolean;
  /** Whose header layout the answer is sent in. */
  server: AnsweringServer['server'];
  contentType: string;
  headers: Record<string, string>;
  /** How long to keep the request waiting before answering (0 = at once). */
  delayMs: number;
  /** Leave the response unfinished after the body. */
  holdOpen: boolean;
}

// Rails' texts: Doorkeeper's 401, Api::BaseController's 404, Rack::Attack's throttle.
const RAILS_MESSAGES: Readonly<Record<number, string>> = {
  401: 'The access token is invalid',
  404: 'Record not found',
  429: 'Too many requests',
  500: 'An unexpected error occurred',
};

// The streaming server's refusals that fit any stream request, most general first: a 401 is a
// token it does not accept (http-errors.txt `bad-token`), a 400 an unknown channel (`unknown-path`;
// a 404 under 'pre-4.2'), a 500 its catch-all.
const STREAMING_REASONS: readonly StreamRejectionReason[] = ['invalid-token', 'unknown-channel', 'internal'];

/**
 * The `{"error"}` text a scripted status gets when the test gives no body: what the server that
 * would have answered says for that status, else the HTTP reason phrase (a status the streaming
 * server never sends, such as 429 or 503, comes from a proxy the fake cannot know).
 */
function defaultMessage(status: number, answering: AnsweringServer): string {
  if (answering.server === 'streaming') {
    const own = STREAMING_REASONS.map((reason) => streamRejection(reason, answering.texts)).find((answer) => answer.status === status);
    if (own) return own.error;
  } else if (RAILS_MESSAGES[status] !== undefined) {
    return RAILS_MESSAGES[status];
  }
  return STATUS_CODES[status] ?? 'Error';
}

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

// A bad script would otherwise surface later, as a 500 or a crash on whichever request met it.
function checkScript(failure: ScriptedFailure): void {
  const { status, paths } = failure;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`FakeMastodon.failNext: status must be an integer from 100 to 599, got ${show(status)}`);
  }
  if (paths !== undefined && paths !== 'streaming' && paths !== 'rest' && paths !== 'all') {
    throw new TypeError(`FakeMastodon.failNext: paths must be 'streaming', 'rest' or 'all', got ${show(paths)}`);
  }
  for (const field of ['path', 'method'] as const) {
    const value = failure[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`FakeMastodon.failNext: ${field} must be a non-empty string, got ${show(value)}`);
  }
  if (failure.path !== undefined && !failure.path.startsWith('/')) {
    throw new TypeError(`FakeMastodon.failNext: path must start with '/' (a path without the query, such as '/api/v1/accounts/verify_credentials'), got ${show(failure.path)}`);
  }
  optionalDuration('FakeMastodon.failNext: delayMs', failure.delayMs, 0);
}

/** The request a scripted answer is matched against. */
export interface ScriptedRequest {
  kind: RequestKind;
  method: string;
  /** Path without the query. */
  path: string;
}

/**
 * FIFO of scripted failures. Each entry answers the next `times` matching requests, in order,
 * so tests are deterministic (no randomness, no clocks).
 */
export class ScriptedFailures {
  private readonly queue: Array<ScriptedFailure & { times: number; paths: NonNullable<ScriptedFailure['paths']> }> = [];
  private readonly waiting = new Set<CancelTimer>();

  add(failure: ScriptedFailure): void {
    checkScript(failure);
    const times = failure.times ?? 1;
    if (times <= 0) return;
    this.queue.push({ ...failure, times, paths: failure.paths ?? (failure.path === undefined ? 'streaming' : 'all') });
  }

  /** Forgets queued failures and cancels delayed answers (close() destroys their sockets anyway). */
  clear(): void {
    this.queue.length = 0;
    for (const cancel of this.waiting) cancel();
    this.waiting.clear();
  }

  /** Runs `answer` after the answer's delay, on a timer clear() cancels; an `Infinity` delay never answers. */
  answerAfterDelay(answer: ScriptedAnswer, send: () => void): void {
    if (answer.delayMs <= 0) return send();
    const cancel = runAfter(answer.delayMs, () => {
      this.waiting.delete(cancel);
      send();
    });
    this.waiting.add(cancel);
  }

  /** Consumes and returns the answer for this request, if one is scripted. */
  take(request: ScriptedRequest, answering: AnsweringServer): ScriptedAnswer | undefined {
    const index = this.queue.findIndex(
      (entry) =>
        (entry.paths === 'all' || entry.paths === request.kind) &&
        (entry.path === undefined || entry.path === request.path) &&
        (entry.method === undefined || entry.method.toUpperCase() === request.method.toUpperCase()),
    );
    const entry = this.queue[index];
    if (!entry) return undefined;
    entry.times -= 1;
    if (entry.times <= 0) this.queue.splice(index, 1);
    const isText = typeof entry.body === 'string';
    const isDefaultBody = entry.body === undefined;
    const body = isText ? (entry.body as string) : JSON.stringify(entry.body ?? { error: defaultMessage(entry.status, answering) });
    // Rails renders with a charset; the streaming server and Rack::Attack's throttle (a 429) do not.
    const charset = answering.server === 'rails' && entry.status !== 429 ? '; charset=utf-8' : '';
    const contentType = `${isText ? 'text/plain' : 'application/json'}${charset}`;
    return { status: entry.status, body, isDefaultBody, server: answering.server, contentType, headers: { ...entry.headers }, delayMs: entry.delayMs ?? 0, holdOpen: entry.holdOpen === true };
  }
}
