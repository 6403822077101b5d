// Renders a run's results as the Markdown that `pnpm bench` prints and
// RESULTS.md keeps.
import { PEER_DEFINITIONS, ROW_DEFINITIONS } from './plan.mjs';
import { MB, median, relativeSpread } from './stats.mjs';

const integer = (value) => Math.round(value).toLocaleString('en-US');
const fixed = (value, digits = 1) => value.toFixed(digits);
// Ratios are cut, not rounded, so 0.8996 against a 0.90 target never prints as 0.900.
const ratio = (value) => (Math.floor(value * 1000) / 1000).toFixed(3);
const megabytes = (bytes) => `${fixed(bytes / MB)} MB`;
const percent = (value) => `±${fixed((value * 100) / 2)} %`;
const range = (values, format) => `${format(Math.min(...values))}–${format(Math.max(...values))}`;
/** The middle half of the per-round ratios: how far one round's reading strays. */
const quartiles = (values) => {
  const sorted = [...values].sort((left, right) => left - right);
  const at = (share) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  return `${fixed(at(0.25), 2)}–${fixed(at(0.75), 2)}`;
};
// Smoke runs are too short for verdicts; they only prove the numbers are produced.
let verdictsApply = true;
const mark = (ok) => (!verdictsApply ? '(smoke)' : ok ? '✅' : '❌');

function throughputTable({ throughput }) {
  const lines = [
    '| Row | Client | events/s (median) | spread | CPU µs/event (median) | ratio to (a) (middle half of rounds) | target | CPU ratio | peak RSS |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const entry of throughput.filter((row) => row.transport === undefined)) {
    if (entry.pending) {
      lines.push(`| (${entry.row}) | ${entry.client} | pending | | | | ${entry.target ? `≥ ${entry.target}` : '—'} | | |`);
      continue;
    }
    const target = entry.row === 'a' ? 'control' : entry.target === undefined ? '—' : `≥ ${fixed(entry.target, 2)} ${mark(entry.ratio >= entry.target)}`;
    lines.push(
      `| (${entry.row}) | ${entry.client} | ${integer(median(entry.eventsPerSecond))} | ${percent(relativeSpread(entry.eventsPerSecond))} | ` +
        `${fixed(median(entry.cpuMicrosPerEvent))} | ${ratio(entry.ratio)} (${quartiles(entry.roundRatios)}) | ${target} | ${ratio(entry.cpuRatio)} | ${megabytes(entry.peakRss)} |`,
    );
  }
  return lines;
}

/** The peers, on the same scale: each against its (a) twin, and a WebSocket peer also against its raw WebSocket twin (w). */
function peerTable({ throughput, meta }) {
  const runtimeOf = (entry) => (entry.runtime === 'node24' ? `Node ${meta.node24}` : entry.runtime === 'python' ? `${meta.mastodonPy.python}, slices of ${integer(meta.sliceEvents * entry.sliceScale)}` : `Node ${meta.node}`);
  const lines = [
    '| Row | Client | transport, runtime | events/s (median) | spread | CPU µs/event (median) | ratio to (a) (middle half of rounds) | CPU ratio to (a) | ratio to (w) (middle half) | CPU ratio to (w) | carried over | peak RSS |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const entry of throughput.filter((row) => row.transport !== undefined)) {
    const client = entry.runtime === 'python' ? entry.client.replace('Mastodon.py', `Mastodon.py ${entry.version ?? meta.mastodonPy.version}`) : entry.client;
    const toW = entry.transportRatio === undefined ? ['—', '—'] : [`${ratio(entry.transportRatio)} (${quartiles(entry.transportRatios)})`, ratio(entry.cpuTransportRatio)];
    lines.push(
      `| (${entry.row}) | ${client} | ${entry.transport}, ${runtimeOf(entry)} | ${integer(median(entry.eventsPerSecond))} | ${percent(relativeSpread(entry.eventsPerSecond))} | ${fixed(median(entry.cpuMicrosPerEvent))} | ` +
        `${ratio(entry.ratio)} (${quartiles(entry.roundRatios)}) | ${ratio(entry.cpuRatio)} | ${toW[0]} | ${toW[1]} | ${fixed((100 * entry.carriedOver) / entry.consumed, 2)} % | ${megabytes(entry.peakRss)} |`,
    );
  }
  return lines;
}

function latencyTable({ latency }) {
  const ms = (values) => `${fixed(median(values))} ms (${range(values, (value) => fixed(value))})`;
  const lines = ['| Measurement | median (min–max) | requirement |', '|---|---:|---|'];
  for (const { label, timingsMs } of latency.firstEvent) lines.push(`| request → first status, ${label} | ${ms(timingsMs)} | reported against (a) |`);
  const reconnect = latency.reconnect;
  const attempt = reconnect.map((sample) => sample.dropToAttemptMs);
  const delays = reconnect.map((sample) => sample.delayMs);
  // Beyond the drawn delay: noticing the drop and the timer firing late. Bounded so that a hidden extra wait would show.
  const lag = reconnect.map((sample) => sample.dropToAttemptMs - sample.delayMs);
  const attemptOk = attempt.every((value) => value > 0) && delays.every((value) => value > 0 && value <= 1000) && lag.every((value) => value <= 50);
  lines.push(
    `| server drop → reconnect attempt starts (default policy; drawn backoff ${range(delays, integer)} ms, drop noticed + timer lag ${range(lag, (value) => fixed(value))} ms) | ${ms(attempt)} | > 0, backoff ≤ 1 s first step, lag ≤ 50 ms ${mark(attemptOk)} |`,
  );
  lines.push(`| server drop → first status delivered after it (catch-up) | ${ms(reconnect.map((sample) => sample.dropToFirstEventMs))} | — |`);
  lines.push(`| server drop → first live status on the new connection | ${ms(reconnect.map((sample) => sample.dropToFirstLiveEventMs))} | — |`);
  const { core, raw } = latency.catchUp;
  const rate = (run) => `${integer(median(run.statusesPerSecond))} statuses/s (${range(run.statusesPerSecond, integer)}); peak RSS ${megabytes(run.peakRss)} (alone in a process)`;
  const { ratios } = latency.catchUp;
  lines.push(
    `| catch-up: ${integer(latency.catchUpBacklog)}-status REST backfill (40 per page), core from a cursor, taking turns with the raw loop in one process (${ratios.length} rounds) | ${rate(core)} | ${fixed(median(ratios), 2)} × raw (rounds ${range(ratios, (value) => fixed(value, 2))}) |`,
  );
  lines.push(`| same backfill, raw \`fetch\` + \`response.json()\` loop | ${rate(raw)} | — |`);
  return lines;
}

function memoryTable({ memory }) {
  const { idle, slow, slowRaw, soak, soakVerdict } = memory;
  const overIdle = (run) => `${run.peakRss >= idle.peakRss ? '+' : ''}${megabytes(run.peakRss - idle.peakRss)} over idle`;
  const slowLine = (run) =>
    `${megabytes(run.peakRss)} (${overIdle(run)}); live after GC at the end ${megabytes(run.liveAfterGc)} (heap + array buffers); server ahead by ${integer(run.inFlight)} statuses at the end`;
  return [
    '| Measurement | result | requirement |',
    '|---|---|---|',
    `| idle stream (core defaults, heartbeats only): peak RSS | ${megabytes(idle.peakRss)} | baseline |`,
    `| slow consumer, core defaults, ${integer(slow.consumed)} statuses at ${integer(slow.eventsPerSecond)}/s (1/${memory.slowFactor} of (a)): peak RSS | ${slowLine(slow)} | ≤ idle + 50 MB ${mark(slow.peakRss - idle.peakRss <= 50 * MB)} |`,
    `| control: the raw client (a) paced the same way: peak RSS | ${slowLine(slowRaw)} | — |`,
    `| soak, ${integer(soak.statuses)} statuses, ${integer(soak.reconnects)} forced drops → reconnect + catch-up (${integer(soak.fromCatchUp)} statuses backfilled, ${soak.sequenceAnomalies} lost/duplicated/out of order): heap after GC | first ${megabytes(soakVerdict.heapFirst)}, last ${megabytes(soakVerdict.heapLast)}, max ${megabytes(soakVerdict.heapMax)}, trend ${fixed(soakVerdict.heapSlopePerMillion / MB, 2)} MB per 1M statuses | flat (trend < 2 MB per 1M) ${mark(soakVerdict.heapFlat)} |`,
    `| same soak: RSS | first ${megabytes(soakVerdict.rssFirst)}, last ${megabytes(soakVerdict.rssLast)}, max ${megabytes(soakVerdict.rssMax)}, trend ${fixed(soakVerdict.rssSlopePerMillion / MB, 2)} MB per 1M statuses | flat (trend < 20 MB per 1M) ${mark(soakVerdict.rssFlat)} |`,
  ];
}

export function renderReport(results) {
  const { meta } = results;
  verdictsApply = !meta.smoke;
  return [
    `### tootstream bench — ${meta.date}`,
    '',
    `Commit ${meta.revision}. Node ${meta.node} on ${meta.platform}, ${meta.cpus} CPUs (\`nproc\`), ${fixed(meta.memoryGiB)} GiB RAM; 1-minute load average during the run ${meta.load}; the bench alone keeps it near 1.2 (one client and the server busy). ` +
      `Throughput: every client is its own process, all connected at once and taking turns (only one reads at a time, the others hold the server back by backpressure): ` +
      `every row, (a) included, runs as ${meta.pairsPerRow} client process${meta.pairsPerRow === 1 ? '' : 'es'}, each with a twin: another raw client (a) process on the same schedule. ${integer(meta.warmupEvents)} warm-up statuses per process, then ${meta.repetitions} rounds; in a round every client and its twin read one ${integer(meta.sliceEvents)}-status slice each, back to back (twin first in even rounds, client first in odd ones), pairs in an order rotated every round; ` +
      `server in another process. Payload: ${meta.payload}. Total run time ${fixed(meta.seconds / 60)} min.${meta.smoke ? ' **Smoke run: numbers are not meaningful.**' : ''}`,
    '',
    '#### Throughput',
    '',
    ...throughputTable(results),
    '',
    'Spread = ±half of (max − min)/median over the slices. Ratio = median over the rounds of (events/s of the row\'s slice ÷ events/s of its twin\'s slice next to it); in brackets the middle half of the rounds. ' +
      '(a) against its own twin is the control: raw against raw, so its distance from 1.000 shows how far this run\'s noise moves a ratio. ' +
      'CPU ratio = median over the rounds of (CPU µs/event of the twin ÷ that of the row): what the ratio would be if nothing else ran on the machine (each client is CPU-bound), so it is the cross-check when the load average is high. ' +
      'Why twins: before, a single (a) process was read between every two row slices, so it ran five times as often as any row, and a second raw client measured as a row scored 0.94–0.95 against it: every ratio read about 5 % low.',
    '',
    ...ROW_DEFINITIONS.map((definition) => `- ${definition}`),
    '',
    '#### Peers, measured in the same run',
    '',
    ...peerTable(results),
    '',
    'Same method as above: every peer row runs as the same number of client processes, each read slice by slice next to its twins on the same server. Ratio to (a) = median over the rounds of (events/s of the row\'s slice ÷ events/s of its (a) twin\'s slice next to it); for WebSocket rows, ratio to (w) is the same against its raw WebSocket twin (w), so the transport\'s cost and the library\'s show apart. Twins run under the row\'s runtime when it is Node (the Node 24 rows have Node 24 twins); the Python row\'s twin is (a) under the bench\'s Node. Carried over = statuses the peer had already received when its slice ended, handed over untimed at the start of the next (see below), as a share of all it read in timed slices.',
    '',
    ...PEER_DEFINITIONS.map((definition) => `- ${definition}`),
    '',
    '#### Latency and catch-up',
    '',
    ...latencyTable(results),
    '',
    '#### Memory',
    '',
    ...memoryTable(results),
    '',
  ].join('\n');
}
