#!/usr/bin/env node
// The tootstream demo (`pnpm demo`): starts the testkit as an embedded fake
// Mastodon with simulated traffic and streams it with the timeline example.
// Every 20-30 s the server drops the connection, so you see the stream
// reconnect and catch up what it missed.
//
//   node examples/node/demo.mjs                         # embedded fake instance, user stream
//   node examples/node/demo.mjs --stream hashtag:rust   # same, another stream
//   node examples/node/demo.mjs --url https://mastodon.social --token $TOKEN --stream public:local
//   node examples/node/demo.mjs --duration 10 --drop-every 3   # short run (what the tests do)
import { parseArgs } from 'node:util';
import { createFakeMastodon } from '@tootstream/testkit';
import { startSimulatedTraffic, VIEWER_TOKEN } from './simulated-traffic.mjs';
import { abortOnInterrupt, commandLineArgs, describeSummary, runTimeline, terminalOutput, TIMELINE_FLAGS } from './timeline.mjs';

const { values } = parseArgs({
  args: commandLineArgs(),
  options: {
    ...TIMELINE_FLAGS,
    stream: { type: 'string' },
    duration: { type: 'string' },
    'drop-every': { type: 'string' },
    rate: { type: 'string' },
  },
});

if (values.help) {
  console.log(`Usage: node examples/node/demo.mjs [--url URL --token TOKEN] [--stream NAME] [--duration SECONDS]

Without --url it streams an embedded fake instance with simulated traffic.
  --stream      what to stream (default: user on the fake instance, public on a real one)
  --duration    stop after this many seconds (default: until Ctrl-C)
  --drop-every  fake instance only: seconds between dropped connections (default 20-30)
  --rate        fake instance only: events per second (default 1.2)`);
  process.exit(0);
}

const controller = new AbortController();
const detach = abortOnInterrupt(controller);
const durationSeconds = Number(values.duration ?? 0);
const stopTimer = durationSeconds > 0 ? setTimeout(() => controller.abort(), durationSeconds * 1000) : undefined;
const output = terminalOutput();

let server;
let traffic;
let target;
if (values.url) {
  target = { url: values.url, token: values.token ?? process.env.MASTODON_TOKEN, stream: values.stream ?? 'public' };
} else {
  // Heartbeats every 15 s, as on a real server.
  server = await createFakeMastodon({ heartbeatIntervalMs: 15_000 });
  const dropEverySeconds = values['drop-every'] === undefined ? undefined : Number(values['drop-every']);
  traffic = startSimulatedTraffic(server, {
    eventsPerSecond: values.rate ? Number(values.rate) : undefined,
    // --drop-every 0 turns drops off.
    dropEveryMs: dropEverySeconds === undefined ? undefined : dropEverySeconds > 0 && dropEverySeconds * 1000,
    onDrop: (kind) =>
      output.write(`\n  ── the fake server ${kind === 'cut' ? 'cuts the connection' : 'goes down for 2.5 s'}; watch the stream recover ──\n`),
  });
  target = { url: server.url, token: VIEWER_TOKEN, stream: values.stream ?? 'user' };
  output.write(`tootstream demo: a fake Mastodon at ${server.url} with simulated traffic (Ctrl-C to stop)`);
  output.write('  • new status   ✎ edited   ✗ deleted   ◆ notification   ⟳ reconnect   ↺ caught up after a gap\n');
}

try {
  const summary = await runTimeline({ ...target, signal: controller.signal, ...output });
  output.write(`\n${describeSummary(summary)}`);
} catch (error) {
  console.error(`\ndemo: ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(stopTimer);
  detach();
  traffic?.stop();
  await server?.close();
}
