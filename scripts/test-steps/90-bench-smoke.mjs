// The bench in smoke mode, so it cannot rot: every row, the peers' included,
// must produce numbers and the run must exit 0. Nothing here looks at how
// fast anything was. Row (j) needs Mastodon.py, which only Debian's package
// manager can supply here (pip has no index to reach): .ci/run installs it
// with Chromium, and without it the bench fails and says what to install.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PEER_ROWS } from '../../packages/bench/lib/plan.mjs';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
const resultsFile = path.join(scratch, 'results.json');
let results;
try {
  execFileSync(process.execPath, ['packages/bench/run.mjs', '--smoke', '--json', resultsFile], { stdio: 'inherit' });
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const problems = [];
const expectNumbers = (label, values) => {
  const list = Array.isArray(values) ? values : [values];
  if (list.length === 0 || !list.every((value) => typeof value === 'number' && Number.isFinite(value))) problems.push(`${label}: ${JSON.stringify(values)}`);
};

const listenerExpected = existsSync('packages/listener/src/index.ts');
for (const row of results.throughput) {
  if (row.pending && !(row.row === 'f' && !listenerExpected)) problems.push(`row (${row.row}) is pending`);
  if (row.pending) continue;
  for (const field of ['eventsPerSecond', 'cpuMicrosPerEvent', 'peakRss', 'roundRatios']) expectNumbers(`row (${row.row}) ${field}`, row[field]);
  expectNumbers(`row (${row.row}) ratios`, [row.ratio, row.cpuRatio]);
}
// Every peer row must have run: a row that silently went missing would make the peer table a lie.
for (const { row: peer } of PEER_ROWS) {
  const row = results.throughput.find((entry) => entry.row === peer);
  if (row === undefined || row.pending) {
    problems.push(`peer row (${peer}) is missing`);
    continue;
  }
  if ((row.twins ?? []).includes('w')) expectNumbers(`row (${peer}) ratios to (w)`, [row.transportRatio, row.cpuTransportRatio, ...row.transportRatios]);
}
for (const { label, timingsMs } of results.latency.firstEvent) expectNumbers(`first event ${label}`, timingsMs);
for (const field of ['delayMs', 'dropToAttemptMs', 'dropToFirstEventMs', 'dropToFirstLiveEventMs']) {
  expectNumbers(`reconnect ${field}`, results.latency.reconnect.map((sample) => sample[field]));
}
for (const client of ['core', 'raw']) {
  const { statusesPerSecond, peakRss } = results.latency.catchUp[client];
  expectNumbers(`catch-up ${client}`, [...statusesPerSecond, peakRss]);
}
expectNumbers('catch-up ratios', results.latency.catchUp.ratios);
const { idle, slow, slowRaw, soak, soakVerdict } = results.memory;
expectNumbers('idle peak RSS', idle.peakRss);
expectNumbers('slow consumer', [slow.peakRss, slow.liveAfterGc, slow.eventsPerSecond, slow.inFlight]);
expectNumbers('slow raw control', [slowRaw.peakRss, slowRaw.liveAfterGc, slowRaw.eventsPerSecond, slowRaw.inFlight]);
expectNumbers('soak', [soak.peakRss, soak.reconnects, soakVerdict.heapSlopePerMillion, soakVerdict.rssSlopePerMillion]);
expectNumbers('soak samples', soak.samples.flatMap((sample) => [sample.heapUsed, sample.rss]));

if (problems.length > 0) {
  console.error(`bench smoke: rows without numbers:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('bench smoke: every row produced numbers');
