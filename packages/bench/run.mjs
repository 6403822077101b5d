#!/usr/bin/env node
// `pnpm bench`: throughput, CPU, memory and latency of the BUILT packages
// (packages/*/dist, as a user gets them) against a loopback Mastodon in its
// own process, and the throughput of the peers (megalodon, masto.js,
// fetch-event-source, Mastodon.py) in the same run on the same scale.
// Prints Markdown tables; full runs also write RESULTS.md.
//
//   node packages/bench/run.mjs            full run (a few minutes)
//   node packages/bench/run.mjs --smoke    tiny run (seconds), for CI
//   node packages/bench/run.mjs --profile b   one row under --cpu-prof, top self time
//   --json <file>                          also write the raw results as JSON
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GAP_PER_DROP, PEER_ROWS, planFor, ROWS, SOAK_RECONNECT_POLICY } from './lib/plan.mjs';
import { resolvePeerRuntimes } from './lib/peer-runtimes.mjs';
import { runChild, scenarioUrl, startServer, startSlicedChild } from './lib/processes.mjs';
import { measureThroughput } from './lib/throughput.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';
import { SNAPSHOT_ENV, snapshotBuiltPackages } from './lib/snapshot.mjs';
import { renderReport } from './lib/report.mjs';
import { MB, median, slope } from './lib/stats.mjs';
import { generateStatusTemplates, PAYLOAD_SEED, PAYLOAD_TEMPLATE_COUNT } from './lib/status-generator.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
// `pnpm bench -- --smoke` hands the script a literal `--` first; drop it.
const argv = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
const { values: args } = parseArgs({ args: argv, options: { smoke: { type: 'boolean', default: false }, profile: { type: 'string' }, json: { type: 'string' } } });
const plan = planFor({ smoke: args.smoke });
const progress = (message) => process.stderr.write(`[bench] ${message}\n`);

/** The commit measured, flagged when core or the listener have uncommitted changes (their dist is built from the working tree). */
function revision() {
  try {
    const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: benchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', '../core/src', '../listener/src') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted core/listener changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

function describePayload() {
  const sizes = generateStatusTemplates(PAYLOAD_SEED, PAYLOAD_TEMPLATE_COUNT).map((template) => template.json.length);
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  return `${PAYLOAD_TEMPLATE_COUNT.toLocaleString('en-US')} seeded Status JSONs of ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} KB (mean ${kb(sizes.reduce((sum, size) => sum + size, 0) / sizes.length)} KB), unique ids, two writes per event`;
}

/** Samples the 1-minute load average, since other work on the machine skews absolute numbers. */
function sampleLoad() {
  const samples = [os.loadavg()[0]];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 5_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    samples.push(os.loadavg()[0]);
    return `${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)} (median ${median(samples).toFixed(2)})`;
  };
}

async function measureLatency(origin) {
  const firstEvent = [];
  for (const [row, label] of [['a', '(a) raw'], ['c', '(c) core'], ['e', '(e) core defaults']]) {
    progress(`first-event latency, row (${row})`);
    const { timingsMs } = await runChild('latency-client.mjs', { mode: 'first-event', origin, row, samples: plan.firstEventSamples });
    firstEvent.push({ label, timingsMs });
  }
  progress('drop → reconnect latency (default policy, up to 1 s per sample)');
  const reconnect = await runChild('latency-client.mjs', { mode: 'reconnect', origin, samples: plan.reconnectSamples, dropAfter: 50, gapPerDrop: GAP_PER_DROP, dropDelayMs: 100 });
  progress(`catch-up of ${plan.catchUpBacklog} statuses`);
  // Rates and the ratio: both backfills taking turns in one process; peak RSS: each client's alone in a process.
  const paired = await runChild('latency-client.mjs', { mode: 'catch-up-paired', origin, backlog: plan.catchUpBacklog, rounds: plan.catchUpRounds });
  const peakRss = {};
  for (const client of ['core', 'raw']) peakRss[client] = await runChild('latency-client.mjs', { mode: 'catch-up-peak-rss', client, origin, backlog: plan.catchUpBacklog });
  for (const result of [paired, peakRss.core]) if (result.coreErrorCount > 0) throw new Error(`core reported errors: ${result.coreErrors.join('; ')}`);
  const catchUp = {
    core: { statusesPerSecond: paired.core, peakRss: peakRss.core.peakRss },
    raw: { statusesPerSecond: paired.raw, peakRss: peakRss.raw.peakRss },
    ratios: paired.ratios,
  };
  if (reconnect.coreErrorCount > 0) throw new Error(`core reported errors: ${reconnect.coreErrors.join('; ')}`);
  return { firstEvent, reconnect: reconnect.samples, catchUp, catchUpBacklog: plan.catchUpBacklog };
}

function soakVerdict(samples) {
  // The first tenth is warm-up: JIT code, caches and the dedupe set filling to capacity.
  const steady = samples.filter((sample) => sample.events > samples.at(-1).events / 10);
  const heapSlope = slope(steady.map((sample) => [sample.events, sample.heapUsed])) * 1e6;
  const rssSlope = slope(steady.map((sample) => [sample.events, sample.rss])) * 1e6;
  return {
    heapFirst: steady[0].heapUsed,
    heapLast: steady.at(-1).heapUsed,
    heapMax: Math.max(...steady.map((sample) => sample.heapUsed)),
    heapSlopePerMillion: heapSlope,
    heapFlat: heapSlope < 2 * MB,
    rssFirst: steady[0].rss,
    rssLast: steady.at(-1).rss,
    rssMax: Math.max(...steady.map((sample) => sample.rss)),
    rssSlopePerMillion: rssSlope,
    rssFlat: rssSlope < 20 * MB,
  };
}

async function measureMemory(origin, rawEventsPerSecond) {
  progress('memory: idle stream');
  const idle = await runChild('memory-client.mjs', { mode: 'idle', baseUrl: scenarioUrl(origin, 'idle', { idle: 1, hb: 100 }), durationMs: plan.idleMs });
  const slowRate = rawEventsPerSecond / plan.slowFactor;
  const slowRun = (consumer) => {
    progress(`memory: slow ${consumer} consumer, ${plan.slowEvents} statuses at ${Math.round(slowRate)}/s`);
    const config = { mode: 'slow', consumer, baseUrl: scenarioUrl(origin, `slow-${consumer}`), events: plan.slowEvents, eventsPerSecond: slowRate };
    return runChild('memory-client.mjs', config, { nodeFlags: ['--expose-gc'] });
  };
  const slow = await slowRun('core');
  const slowRaw = await slowRun('raw');
  progress(`memory: soak, ${plan.soakEvents} statuses and ${plan.soakReconnects} reconnects (a drop every ${plan.soakDropEvery})`);
  const soak = await runChild(
    'memory-client.mjs',
    { mode: 'soak', baseUrl: scenarioUrl(origin, 'soak', { drop: plan.soakDropEvery, gap: GAP_PER_DROP }), events: plan.soakEvents, reconnects: plan.soakReconnects, sampleEvery: plan.soakSampleEvery, reconnect: SOAK_RECONNECT_POLICY },
    { nodeFlags: ['--expose-gc'], timeoutMs: 600_000 },
  );
  for (const result of [idle, slow, slowRaw, soak]) if (result.coreErrorCount > 0) throw new Error(`core reported errors: ${result.coreErrors.join('; ')}`);
  const anomalies = slow.sequenceAnomalies + slowRaw.sequenceAnomalies + soak.sequenceAnomalies;
  if (anomalies > 0) throw new Error(`statuses lost or repeated: slow ${slow.sequenceAnomalies}/${slowRaw.sequenceAnomalies}, soak ${soak.sequenceAnomalies}`);
  return { idle, slow, slowRaw, soak, soakVerdict: soakVerdict(soak.samples), slowFactor: plan.slowFactor };
}

async function profileRow(origin, row) {
  const spec = PEER_ROWS.find((peer) => peer.row === row);
  if (spec?.runtime === 'python') throw new Error(`row (${row}) runs in Python: --profile takes a Node row`);
  const execPath = spec?.runtime === 'node24' ? resolvePeerRuntimes([spec]).node24 : process.execPath;
  const directory = mkdtempSync(path.join(os.tmpdir(), `bench-profile-${row}-`));
  const client = await startSlicedChild('throughput-client.mjs', { baseUrl: scenarioUrl(origin, `profile-${row}`), row }, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`], execPath });
  await client.slice(plan.warmupEvents);
  const { seconds, cpuMicros } = await client.slice(plan.timedEvents);
  await client.finish();
  await client.exited;
  const file = path.join(directory, readdirSync(directory).find((name) => name.endsWith('.cpuprofile')));
  console.log(`Row (${row}): ${Math.round(plan.timedEvents / seconds)} events/s, ${(cpuMicros / plan.timedEvents).toFixed(1)} µs CPU/event (under the profiler; the profile includes warm-up). Profile: ${file}\n`);
  console.log('| self time | function |\n|---:|---|');
  for (const { name, share } of summariseProfile(file, 20)) console.log(`| ${(share * 100).toFixed(1)} % | \`${name}\` |`);
}

const startedAt = Date.now();
const measuredRevision = revision();
const snapshot = snapshotBuiltPackages();
if (!snapshot.built.includes('core')) throw new Error('packages/core/dist is missing: run `node scripts/build.mjs` first (`pnpm bench` does)');
process.env[SNAPSHOT_ENV] = snapshot.root;
const server = await startServer();
const loadSummary = sampleLoad();
try {
  if (args.profile) {
    await profileRow(server.origin, args.profile);
  } else {
    const rows = [...ROWS.map((row) => (row.row === 'f' && !snapshot.built.includes('listener') ? { ...row, pending: true } : row)), ...PEER_ROWS];
    const runtimes = resolvePeerRuntimes(rows);
    const throughput = await measureThroughput({ origin: server.origin, rows, plan, runtimes, progress });
    const latency = await measureLatency(server.origin);
    const memory = await measureMemory(server.origin, median(throughput[0].eventsPerSecond));
    const results = {
      meta: {
        date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        node: process.version,
        node24: runtimes.node24 ? execFileSync(runtimes.node24, ['--version'], { encoding: 'utf8' }).trim() : undefined,
        mastodonPy: runtimes.mastodonPy,
        revision: measuredRevision,
        platform: `${os.platform()} ${os.arch()} (${os.cpus()[0]?.model ?? 'unknown CPU'})`,
        cpus: os.availableParallelism(),
        memoryGiB: os.totalmem() / 1024 ** 3,
        load: loadSummary(),
        payload: describePayload(),
        seconds: (Date.now() - startedAt) / 1000,
        ...plan,
      },
      throughput,
      latency,
      memory,
    };
    const markdown = renderReport(results);
    console.log(markdown);
    if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
    if (!plan.smoke) writeFileSync(path.join(benchDir, 'RESULTS.md'), `${markdown}\n`);
  }
} finally {
  server.stop();
  snapshot.remove();
}
