#!/usr/bin/env node
// An in-process A/B of core's per-event pipeline between two builds: the same SSE bytes (the bench's seeded
// statuses, in 64 KiB chunks, through an injected fetch: no network, no server) go through this checkout's built
// core and another one, alternating, and the CPU per event of each is compared. It tells whether a change of the
// throughput table's rows comes from the code or from the machine: the table's rows run in separate processes against
// a live server, and on a shared 2-core machine they move by a few per cent between runs.
//
//   node packages/bench/ab.mjs /path/to/other/checkout/packages/core/dist/index.js [--rounds 12]
//
// Prints, for row (e) (every default) and row (c) (reconnect and dedupe off), the median CPU µs per event of each
// build over the rounds after the first two (warm-up) and the ratio this/other (below 1: this build is cheaper). A
// build against itself read 0.979 for (e) and 1.012 for (c) over 12 rounds: differences within about 3 % are noise.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateStatusTemplates, PAYLOAD_SEED, stampDataLine, statusIdOf } from './lib/status-generator.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '12' } } });
if (positionals.length !== 1) {
  console.error('usage: node packages/bench/ab.mjs <other build: …/packages/core/dist/index.js> [--rounds N]');
  process.exit(2);
}
const rounds = Number(values.rounds);
const EVENTS_PER_RUN = 20_000;
const CHUNK_BYTES = 65_536;
const WARM_UP_ROUNDS = 2;

const builds = {
  this: await import(new URL('../core/dist/index.js', import.meta.url).href),
  other: await import(pathToFileURL(path.resolve(positionals[0])).href),
};
const templates = generateStatusTemplates(PAYLOAD_SEED, 256);
let nextSequence = 1;

/** One run's body: EVENTS_PER_RUN `update` events with fresh ids (dedupe must see them as new), as network chunks. */
function streamChunks() {
  const chunks = [];
  let pending = [Buffer.from(':)\n')];
  let size = 0;
  for (let index = 0; index < EVENTS_PER_RUN; index++) {
    const event = Buffer.concat([Buffer.from('event: update\n'), stampDataLine(templates[index % templates.length], statusIdOf(nextSequence++))]);
    pending.push(event);
    size += event.length;
    if (size > CHUNK_BYTES) {
      chunks.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
  }
  chunks.push(Buffer.concat(pending));
  return chunks;
}

/** CPU µs per event for one build and row, over one body. */
async function cpuPerEvent(build, row) {
  const chunks = streamChunks();
  const body = () => new ReadableStream({ pull: (controller) => (chunks.length > 0 ? controller.enqueue(new Uint8Array(chunks.shift())) : controller.close()) });
  const fetch = async () => new Response(body(), { headers: { 'content-type': 'text/event-stream' } });
  const client = build.createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: 'bench', fetch });
  const options = row === 'e' ? {} : { reconnect: false, dedupe: false };
  const started = process.cpuUsage();
  let events = 0;
  for await (const _ of client.public({}, options)) if (++events === EVENTS_PER_RUN) break;
  const used = process.cpuUsage(started);
  return (used.user + used.system) / EVENTS_PER_RUN;
}

const samples = { this: { e: [], c: [] }, other: { e: [], c: [] } };
for (let round = 0; round < rounds; round++) {
  for (const row of ['e', 'c']) {
    // Which build goes first alternates, so neither always runs on a warmer heap.
    for (const name of round % 2 ? ['other', 'this'] : ['this', 'other']) samples[name][row].push(await cpuPerEvent(builds[name], row));
  }
}
const median = (values) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];
for (const row of ['e', 'c']) {
  const ours = median(samples.this[row].slice(WARM_UP_ROUNDS));
  const theirs = median(samples.other[row].slice(WARM_UP_ROUNDS));
  console.log(`(${row}) CPU µs/event: this ${ours.toFixed(2)}, other ${theirs.toFixed(2)}, this/other ${(ours / theirs).toFixed(3)}`);
}
