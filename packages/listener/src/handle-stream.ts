// Loaded on demand (in the rare-paths.ts chunk) by StreamListener.handleStream, which passes in what it
// needs of the entry's code: like every on-demand module it imports nothing
// the entry loads (README: "What loads up front").
import type { createClient } from '@tootstream/core';
import type { MastodonIllegalArgumentError } from './errors.js';
import type { StreamListener } from './stream-listener.js';
import type { CommonStreamOptions, resolveStreamOptions } from './stream-options.js';
import type { runBlocking, startRun } from './stream-run.js';

/** The entry's functions this module runs the body with. */
export type HandleStreamTools = readonly [typeof createClient, typeof startRun, typeof resolveStreamOptions, typeof runBlocking, typeof MastodonIllegalArgumentError];

/** Options of `handleStream`: those of a blocking stream call, minus reconnecting (a body cannot be reopened). */
export type HandleStreamOptions = Omit<CommonStreamOptions, 'reconnectAsync' | 'reconnectAsyncWaitSec' | 'stopOnHandlerError'>;

// Core only reads from `fetch`; this origin is never contacted.
const NOWHERE = 'http://handle-stream.invalid';

/**
 * Parses an SSE body you already have and dispatches its events to
 * `listener` (Mastodon.py's `handle_stream(response)`), with the same parser
 * and the same rules as the `stream*` methods: the body is handed to core as
 * the response of an in-memory `fetch`. Resolves at the end of the body,
 * rejects otherwise, as a blocking stream call does. `forStream` is `undefined`: a bare
 * body does not say which stream it belongs to.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
 * await handleStream(listener, response.body!, {}, [createClient, startRun, resolveStreamOptions, runBlocking]);
 * ```
 */
export function handleStream(
  listener: StreamListener,
  body: ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  options: HandleStreamOptions = {},
  [createClient, startRun, resolveStreamOptions, runBlocking, IllegalArgumentError]: HandleStreamTools,
): Promise<void> {
  const source = body instanceof ReadableStream ? body : typeof body?.[Symbol.asyncIterator] === 'function' ? toReadableStream(body) : undefined;
  if (source === undefined) throw new IllegalArgumentError('body must be a ReadableStream or an AsyncIterable of byte chunks');
  // Text chunks (a Node response after setEncoding, a TextDecoderStream) are not bytes the parser can read: their
  // events would be lost without a word. They are encoded back to UTF-8.
  const encoder = new TextEncoder();
  // Any other chunk (a number, an array of byte values) failed inside the parser as a bare TypeError, or was skipped or
  // read as garbage. It ends the body; core reports that as a network fault (to onAbort), and the call rejects with
  // this argument error, which names the mistake.
  let refusedChunk: MastodonIllegalArgumentError | undefined;
  const stream = source.pipeThrough(
    new TransformStream<Uint8Array | string, Uint8Array>({
      transform(chunk: unknown, controller) {
        if (typeof chunk === 'string') controller.enqueue(encoder.encode(chunk));
        // By its tag, not instanceof: bytes from another realm (a test environment's, a worker's) are bytes too.
        else if (Object.prototype.toString.call(chunk) === '[object Uint8Array]') controller.enqueue(chunk as Uint8Array);
        else controller.error((refusedChunk = new IllegalArgumentError(`body chunks must be bytes (Uint8Array) or text (got ${Array.isArray(chunk) ? 'an array' : chunk === null ? 'null' : typeof chunk})`)));
      },
    }),
  );
  const client = createClient({
    url: NOWHERE,
    streamingUrl: NOWHERE,
    fetch: () => Promise.resolve(new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })),
  });
  return runBlocking(
    startRun({
      runListener: listener,
      runOptions: resolveStreamOptions({ ...options, runAsync: false }),
      openCoreStream: (core) => client.user(core),
      hideStreamLabel: true,
    }),
  ).catch((error: unknown) => {
    throw refusedChunk ?? error;
  });
}

function toReadableStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array | string> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array | string>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
