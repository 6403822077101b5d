// Latency and catch-up measurements, each mode in its own process:
//  first-event — request → first status, for the raw client or a core row;
//  reconnect   — server drop → reconnect attempt → first status after it, with
//                core's default reconnect settings (a fresh stream per sample,
//                so every sample sees the first backoff step);
//  catch-up-peak-rss — a 10,000-status REST backfill, by core (from a cursor)
//                or by a raw fetch + JSON loop, alone in its process: its peak RSS;
//  catch-up-paired — the same two backfills taking turns in one process: the
//                ratio. Between processes the same build read up to 11 % apart,
//                so only turns within one process compare like with like.
import { consumeRaw, consumerFor, createBenchClient, BENCH_TOKEN } from './consumers.mjs';
import { peakRssBytes, readChildConfig, reportResult } from './child-result.mjs';
import { scenarioUrl } from './processes.mjs';
import { statusIdOf } from './status-generator.mjs';

const config = readChildConfig();
const errors = [];
const onError = (error) => errors.push(`${error.name}: ${error.message}`);
const epochNow = () => performance.timeOrigin + performance.now();

async function firstEvent({ origin, row, samples }) {
  const consume = consumerFor(row);
  const timings = [];
  // Sample 0 warms up fetch, the parser and the JIT and is not reported.
  for (let sample = 0; sample <= samples; sample++) {
    const startedAt = performance.now();
    let firstAt = 0;
    await consume(scenarioUrl(origin, `first-${row}`), () => {
      firstAt = performance.now();
      return false;
    });
    if (sample > 0) timings.push(firstAt - startedAt);
  }
  return { timingsMs: timings };
}

async function reconnect({ origin, samples, dropAfter, gapPerDrop, dropDelayMs }) {
  const results = [];
  // Sample 0 warms up the JIT and is not reported.
  for (let sample = 0; sample <= samples; sample++) {
    const baseUrl = scenarioUrl(origin, 'reconnect', { drop: dropAfter, gap: gapPerDrop, dropdelay: dropDelayMs });
    let attemptAt = 0;
    let delayMs = 0;
    let firstAfterDropAt = 0;
    let firstLiveAfterDropAt = 0;
    let received = 0;
    const stream = createBenchClient(baseUrl).public({}, {
      onError,
      onReconnecting: (info) => (delayMs = info.delayMs),
      onConnecting: ({ attempt }) => {
        if (attempt > 1) attemptAt = epochNow();
      },
    });
    for await (const event of stream) {
      if (event.event !== 'update') continue;
      received++;
      if (received === dropAfter + 1) firstAfterDropAt = epochNow();
      if (received > dropAfter && event.source === 'live') {
        firstLiveAfterDropAt = epochNow();
        break;
      }
    }
    const { drops } = await (await fetch(`${baseUrl}/bench/stats`)).json();
    if (sample > 0) results.push({
      delayMs,
      dropToAttemptMs: attemptAt - drops[0],
      dropToFirstEventMs: firstAfterDropAt - drops[0],
      dropToFirstLiveEventMs: firstLiveAfterDropAt - drops[0],
    });
  }
  return { samples: results };
}

async function coreBackfill(origin, backlog) {
  const baseUrl = scenarioUrl(origin, 'catch-up-core', { backlog });
  const cursor = { version: 1, stream: 'public', params: {}, lastStatusId: statusIdOf(0), takenAt: Date.now() };
  const pageSize = 40;
  const stream = createBenchClient(baseUrl).public({}, { onError, cursor, catchUp: { pageSize, maxPages: Math.ceil(backlog / pageSize) + 1 } });
  const startedAt = performance.now();
  let fromCatchUp = 0;
  for await (const event of stream) {
    if (event.event === 'update' && event.source === 'catchup' && ++fromCatchUp === backlog) break;
    if (event.source === 'live') break;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (fromCatchUp !== backlog) throw new Error(`core backfilled ${fromCatchUp} of ${backlog} statuses`);
  return { statusesPerSecond: backlog / seconds, seconds };
}

/** The same backfill without the SDK: fetch each `min_id` page and JSON-parse it. */
async function rawBackfill(origin, backlog) {
  const baseUrl = scenarioUrl(origin, 'catch-up-raw', { backlog });
  // Core opens the stream before it backfills; so does this, for the same server state.
  await consumeRaw(baseUrl, () => false);
  const startedAt = performance.now();
  let minId = statusIdOf(0);
  let fetched = 0;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/v1/timelines/public?min_id=${minId}&limit=40`, { headers: { Authorization: `Bearer ${BENCH_TOKEN}` } });
    const page = await response.json();
    if (page.length === 0) break;
    fetched += page.length;
    minId = page[0].id;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (fetched !== backlog) throw new Error(`raw backfilled ${fetched} of ${backlog} statuses`);
  return { statusesPerSecond: backlog / seconds, seconds };
}

/** What one client's backfill holds: peak RSS after two backfills (a warm-up, then the measured one) alone in this process. */
async function catchUpPeakRss({ origin, backlog, client }) {
  const backfill = client === 'raw' ? rawBackfill : coreBackfill;
  await backfill(origin, backlog);
  await backfill(origin, backlog);
  return { peakRss: peakRssBytes() };
}

/**
 * Core's and the raw loop's backfills in turns, after warm-ups of each; the
 * order flips every round so that neither always runs on the other's garbage.
 * Each round's ratio compares two backfills seconds apart.
 */
async function catchUpPaired({ origin, backlog, rounds }) {
  // Two warm-ups each: rates still climbed over the first rounds after one.
  for (let warmUp = 0; warmUp < 2; warmUp++) {
    await coreBackfill(origin, backlog);
    await rawBackfill(origin, backlog);
  }
  const core = [];
  const raw = [];
  const ratios = [];
  for (let round = 0; round < rounds; round++) {
    const coreFirst = round % 2 === 0;
    const first = await (coreFirst ? coreBackfill : rawBackfill)(origin, backlog);
    const second = await (coreFirst ? rawBackfill : coreBackfill)(origin, backlog);
    const [coreRun, rawRun] = coreFirst ? [first, second] : [second, first];
    core.push(coreRun.statusesPerSecond);
    raw.push(rawRun.statusesPerSecond);
    ratios.push(coreRun.statusesPerSecond / rawRun.statusesPerSecond);
  }
  return { core, raw, ratios };
}

const modes = { 'first-event': firstEvent, reconnect, 'catch-up-peak-rss': catchUpPeakRss, 'catch-up-paired': catchUpPaired };
const result = await modes[config.mode](config);
reportResult({ ...result, coreErrorCount: errors.length, coreErrors: errors.slice(0, 3) });
