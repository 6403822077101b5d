#!/usr/bin/env node
// The tootstream demo (`pnpm demo`): starts the testkit as an embedded fake
// Mastodon with simulated traffic and streams it with the timeline example.
// Every 20-30 s the server drops the connection, so you see the stream
// reconnect and catch up what it missed.
//
//   node examples/node/demo.mjs                         # embedded fake instance, user stream
//   node examples/node/demo.mjs --stream hashtag:rust   # same, another stream
//   MASTODON_TOKEN=… node examples/node/demo.mjs --url https://mastodon.social --stream public:local
//   node examples/node/demo.mjs --duration 10 --drop-every 3   # short run (what the tests do)
import { createFakeMastodon } from '@tootstream/testkit';
import { numberFlag, parseFlags, readCommandLine, urlFlag, UsageError } from './command-line.mjs';
import { startSimulatedTraffic, VIEWER_TOKEN } from './simulated-traffic.mjs';
import { STREAM_CHOICES } from './stream-choice.mjs';
import {
  abortOnInterrupt,
  describeFailure,
  describeSummary,
  REAL_INSTANCE_STREAM_OPTIONS,
  runTimeline,
  streamFlag,
  terminalOutput,
  TIMELINE_FLAGS,
} from './timeline.mjs';

// Upper bounds: beyond them a value is a typo, not a plan (and setTimeout caps at ~24.8 days).
const MAX_SECONDS = 1_000_000;
const MAX_RATE = 100;

const DURATION = `seconds: a number from 0 to ${MAX_SECONDS} (0: until Ctrl-C)`;
const DROP_EVERY = `seconds between drops: 0 (no drops) or a number from 1 to ${MAX_SECONDS}`;
const RATE = `events per second: a number above 0, at most ${MAX_RATE}`;

const USAGE = `Usage: node examples/node/demo.mjs [--url URL --token TOKEN] [--stream NAME] [--duration SECONDS]
                                   [--drop-every SECONDS] [--rate EVENTS_PER_SECOND]

Without --url it streams an embedded fake instance with simulated traffic.
  --url         stream a real instance instead, such as https://mastodon.social
  --token       the access token for --url (better: MASTODON_TOKEN, kept out of the process list)
  --stream      what to stream (default: user on the fake instance, public on a real one):
                ${STREAM_CHOICES.slice(0, 5).join(' | ')} |
                ${STREAM_CHOICES.slice(5).join(' | ')}
  --duration    stop after this many seconds, up to ${MAX_SECONDS} (default: until Ctrl-C)
  --drop-every  fake instance only: seconds between dropped connections, 1 to ${MAX_SECONDS},
                0 for none (default 20-30)
  --rate        fake instance only: events per second, above 0 and at most ${MAX_RATE} (default 1.2)
  -h, --help    print this and exit`;

/** The settings from the command line; throws UsageError on a mistake. */
function readDemoArgs(args) {
  const values = parseFlags(args, {
    ...TIMELINE_FLAGS,
    stream: { type: 'string', example: 'hashtag:rust' },
    duration: { type: 'string', example: '10' },
    'drop-every': { type: 'string', example: '3' },
    rate: { type: 'string', example: '6' },
  });
  if (values === 'help') return 'help';
  const given = (flag, read) => (values[flag] === undefined ? undefined : read(values[flag]));
  // A flag that cannot apply is a mistake to point out, not something to ignore: the user expected it to do something.
  if (values.url === undefined && values.token !== undefined) {
    throw new UsageError('--token goes with --url (the fake instance has its own viewer); to stream a real instance, give both');
  }
  for (const fakeOnly of ['drop-every', 'rate']) {
    if (values.url !== undefined && values[fakeOnly] !== undefined) throw new UsageError(`--${fakeOnly} applies to the fake instance only, not to --url`);
  }
  return {
    url: given('url', (text) => urlFlag('--url', text)),
    token: values.token,
    stream: given('stream', streamFlag),
    durationSeconds: given('duration', (text) => numberFlag('--duration', text, { min: 0, max: MAX_SECONDS, expects: DURATION })) ?? 0,
    // 0 turns drops off; below 1 s the fake server would do little but drop (an outage lasts 2.5 s).
    dropEverySeconds: given('drop-every', (text) => {
      const seconds = numberFlag('--drop-every', text, { min: 0, max: MAX_SECONDS, expects: DROP_EVERY });
      if (seconds > 0 && seconds < 1) throw new UsageError(`--drop-every expects ${DROP_EVERY}; got "${text}"`);
      return seconds;
    }),
    eventsPerSecond: given('rate', (text) => numberFlag('--rate', text, { above: 0, max: MAX_RATE, expects: RATE })),
  };
}

const settings = readCommandLine({ program: 'demo', usage: USAGE, read: readDemoArgs });
if (settings !== undefined) await runDemo(settings);

async function runDemo({ url, token, stream, durationSeconds, dropEverySeconds, eventsPerSecond }) {
  const controller = new AbortController();
  const detach = abortOnInterrupt(controller);
  const stopTimer = durationSeconds > 0 ? setTimeout(() => controller.abort(), durationSeconds * 1000) : undefined;
  const output = terminalOutput();

  let server;
  let traffic;
  let target;
  if (url) {
    // As the timeline does: an instance that does not answer ends the demo after a few tries.
    target = { url, token: token ?? process.env.MASTODON_TOKEN, stream: stream ?? 'public', streamOptions: REAL_INSTANCE_STREAM_OPTIONS };
  } else {
    // Heartbeats every 15 s, as on a real server.
    server = await createFakeMastodon({ heartbeatIntervalMs: 15_000 });
    traffic = startSimulatedTraffic(server, {
      eventsPerSecond,
      // --drop-every 0 turns drops off.
      dropEveryMs: dropEverySeconds === undefined ? undefined : dropEverySeconds > 0 && dropEverySeconds * 1000,
      onDrop: (kind) =>
        output.write(`\n  ── the fake server ${kind === 'cut' ? 'cuts the connection' : 'goes down for 2.5 s'}; watch the stream recover ──\n`),
    });
    target = { url: server.url, token: VIEWER_TOKEN, stream: stream ?? 'user' };
    output.write(`tootstream demo: a fake Mastodon at ${server.url} with simulated traffic (Ctrl-C to stop)`);
    output.write('  • new status   ✎ edited   ✗ deleted   ◆ notification   ✉ direct message   ⟳ reconnect   ↺ caught up after a gap\n');
  }

  try {
    const summary = await runTimeline({ ...target, signal: controller.signal, ...output });
    output.write(`\n${describeSummary(summary)}`);
  } catch (error) {
    console.error(`\ndemo: ${describeFailure(error)}`);
    process.exitCode = 1;
  } finally {
    clearTimeout(stopTimer);
    detach();
    traffic?.stop();
    await server?.close();
  }
}
