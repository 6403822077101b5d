// Command-line entry of the conformance suite for Node and Deno. It imports the
// BUILT packages by relative path (Deno maps their bare imports — ky, valibot,
// @tootstream/core — with scripts/conformance/deno-import-map.json).
//
//   node scripts/conformance/run.mjs --control http://127.0.0.1:PORT [--only text]
//   deno run --allow-net --allow-read --allow-env --import-map scripts/conformance/deno-import-map.json \
//     scripts/conformance/run.mjs --control http://127.0.0.1:PORT
//
// Exits 0 when every case passed. It must also exit by itself: a stream that
// keeps a timer or socket alive after being closed fails the run.
import * as core from '../../packages/core/dist/index.js';
import { ControlClient, runCases } from './harness.mjs';
import { listenerCases } from './listener-cases.mjs';
import { chaosCases } from './chaos-cases.mjs';
import { streamCases } from './stream-cases.mjs';
import { utf8Cases } from './utf8-cases.mjs';

const deno = globalThis.Deno;
const args = deno ? deno.args : process.argv.slice(2);
const runtime = deno ? `Deno ${deno.version.deno}` : `Node ${process.version}`;
const EXIT_GRACE_MS = 10_000;

function option(name) {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function exit(code) {
  if (deno) deno.exit(code);
  else process.exit(code);
}

// A timer that does not itself keep the runtime alive.
function unrefTimeout(callback, ms) {
  const timer = setTimeout(callback, ms);
  if (deno) deno.unrefTimer(timer);
  else timer.unref();
}

const controlUrl = option('--control');
if (controlUrl === undefined) {
  console.error('usage: run.mjs --control <control-server URL> [--only <text>]');
  exit(2);
}

// The listener is loaded separately so that a missing or broken listener build
// fails its cases without hiding the core results.
let listener;
let listenerLoadError;
try {
  listener = await import('../../packages/listener/dist/index.js');
} catch (error) {
  listenerLoadError = error;
}

console.log(`conformance on ${runtime}`);
const cases = [...streamCases(core), ...utf8Cases(core), ...chaosCases(core, listener), ...listenerCases(listener, listenerLoadError)];
const { failed } = await runCases(cases, { control: new ControlClient(controlUrl), filter: option('--only') });

if (failed > 0) exit(1);
unrefTimeout(() => {
  console.error(`conformance on ${runtime}: every case passed, but the runtime was still alive ${EXIT_GRACE_MS} ms later (a leaked timer or socket)`);
  exit(1);
}, EXIT_GRACE_MS);
