#!/usr/bin/env node
// A live Mastodon timeline in the terminal: one for-await loop over a
// @tootstream/core stream, one line per event.
//
//   MASTODON_TOKEN=… node examples/node/timeline.mjs --url https://mastodon.social --stream public:local
//   MASTODON_URL=https://example.social MASTODON_TOKEN=... node examples/node/timeline.mjs --stream user
//
// Ctrl-C aborts the stream and exits with code 0 at once (a second Ctrl-C
// kills the process the default way, code 130).
import { pathToFileURL } from 'node:url';
import { createClient } from '@tootstream/core';
import { parseFlags, readCommandLine, UsageError, urlFlag } from './command-line.mjs';
import { isStreamChoice, openStream, STREAM_CHOICES } from './stream-choice.mjs';
import { createTimelinePrinter, printable } from './timeline-printer.mjs';

/**
 * Streams `stream` from the instance at `url` and prints it until `signal` aborts.
 * Resolves with counters when the stream ends; rejects on fatal errors (bad token, unknown list, ...).
 *
 * @param {{ url: string, token?: string, stream: string, signal: AbortSignal,
 *           write?: (line: string) => void, color?: boolean, width?: number,
 *           streamOptions?: import('@tootstream/core').StreamOptions }} options
 */
export async function runTimeline({ url, token, stream, signal, write = console.log, color = false, width = 100, streamOptions = {} }) {
  const printer = createTimelinePrinter({ write, color, width, stream });
  // The token travels in the Authorization header (core's default), never in the URL.
  const client = createClient({ url, accessToken: token || undefined, userAgent: 'tootstream-example/0.1' });
  // An instance that takes connections and never answers stays silent until a try times out (half a minute by
  // default), which looks like a hung program: after a few quiet seconds, say what it is waiting for. A try that
  // failed (a refused connection, a host that does not exist) has said so already: then there was an answer.
  let quietNotice;
  const onOpen = () => {
    clearTimeout(quietNotice);
    printer.hooks.onOpen();
    streamOptions.onOpen?.();
  };
  const onReconnecting = (attempt) => {
    clearTimeout(quietNotice);
    printer.hooks.onReconnecting(attempt);
    streamOptions.onReconnecting?.(attempt);
  };
  const timeline = openStream(client, stream, { signal, ...printer.hooks, ...streamOptions, onOpen, onReconnecting });
  printer.systemLine('…', `streaming ${stream} from ${shownAddress(url)}`);
  quietNotice = setTimeout(() => printer.systemLine('…', `no answer from ${shownAddress(url)} yet; still trying`), QUIET_START_NOTICE_MS);
  try {
    // Aborting `signal` ends this loop quietly and closes the connection; nothing else to clean up.
    for await (const event of timeline) printer.printEvent(event);
  } finally {
    clearTimeout(quietNotice);
  }
  return { ...printer.counts, stats: { ...timeline.stats } };
}

/** How long a first connection may take before the timeline says it is still waiting. */
const QUIET_START_NOTICE_MS = 5_000;

/** The instance as the user gave it (a path too: it is the API base), without credentials, query or fragment, which may hold a secret. */
function shownAddress(url) {
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname.replace(/\/+$/, '')}`;
}

/** Ctrl-C, or a reader that went away (`| head`) → abort: the for-await loop ends, sockets close, the process exits by itself. */
export function abortOnInterrupt(controller) {
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Not removed by the returned function: the summary written after the loop meets the same closed pipe.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stop();
  });
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

/** Terminal niceties shared with the demo. */
export function terminalOutput() {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return { color, width: process.stdout.columns ?? 100, write: (line) => process.stdout.write(`${line}\n`) };
}

/** "stopped: 42 events (6 from catch-up), 2 reconnects" */
export function describeSummary({ events, catchUp, stats }) {
  return `stopped: ${events} events (${catchUp} from catch-up), ${stats.reconnects} reconnect${stats.reconnects === 1 ? '' : 's'}`;
}

/**
 * Stream options for a real instance: a few failed tries in a row (about a minute; a connection that delivered
 * events starts the count over) and the host is down or mistyped: say so and exit instead of retrying forever.
 * A Mastodon streaming server sends its headers at once, so a try without them for 15 s is a dead host.
 */
export const REAL_INSTANCE_STREAM_OPTIONS = { reconnect: { maxAttempts: 6 }, connectTimeoutMs: 15_000 };

/** A fatal error as one line (after the retries ran out, core's message already ends with the last failure). */
export function describeFailure(error) {
  return printable(error.message);
}

/** The flags the timeline and the demo share (parseArgs options; `example` is for error messages). */
export const TIMELINE_FLAGS = {
  url: { type: 'string', example: 'https://mastodon.social' },
  token: { type: 'string', example: 'TOKEN' },
  stream: { type: 'string', default: 'public', example: 'public:local' },
  help: { type: 'boolean', short: 'h' },
};

/** --stream's value, checked: one of STREAM_CHOICES. */
export function streamFlag(text) {
  if (!isStreamChoice(text)) throw new UsageError(`--stream expects one of ${STREAM_CHOICES.join(', ')}; got "${text}"`);
  return text;
}

const USAGE = `Usage: node examples/node/timeline.mjs --url https://instance.example [--token TOKEN] [--stream NAME]

  --url       the instance (or MASTODON_URL)
  --token     an access token (better: MASTODON_TOKEN, kept out of the process list); Mastodon's streaming API wants one for every stream
  --stream    what to stream (default public):
              ${STREAM_CHOICES.slice(0, 5).join(' | ')} |
              ${STREAM_CHOICES.slice(5).join(' | ')}
  -h, --help  print this and exit`;

/** The settings from the command line and the environment; throws UsageError on a mistake. */
function readTimelineArgs(args) {
  const values = parseFlags(args, TIMELINE_FLAGS);
  if (values === 'help') return 'help';
  const url = values.url ?? process.env.MASTODON_URL;
  if (url === undefined || url === '') throw new UsageError('--url (or MASTODON_URL) is required: the instance to stream, such as https://mastodon.social');
  return {
    url: urlFlag(values.url === undefined ? 'MASTODON_URL' : '--url', url),
    token: values.token ?? process.env.MASTODON_TOKEN,
    stream: streamFlag(values.stream),
  };
}

async function main() {
  const settings = readCommandLine({ program: 'timeline', usage: USAGE, read: readTimelineArgs });
  if (settings === undefined) return;
  const controller = new AbortController();
  const detach = abortOnInterrupt(controller);
  try {
    const summary = await runTimeline({
      ...settings,
      signal: controller.signal,
      ...terminalOutput(),
      streamOptions: REAL_INSTANCE_STREAM_OPTIONS,
    });
    console.log(`\n${describeSummary(summary)}`);
  } catch (error) {
    console.error(`\ntimeline: ${describeFailure(error)}`);
    process.exitCode = 1;
  } finally {
    detach();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
