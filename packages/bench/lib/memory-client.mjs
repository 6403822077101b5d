// Memory measurements, each in its own process, all with core's defaults:
//  idle — an open stream that only gets heartbeats (the baseline);
//  slow — a consumer that takes events at a fixed, slow rate (backpressure),
//         with core or, as a control, with the raw client;
//  soak — a long stream with forced drops, reconnects and catch-up, sampling
//         heap (after full GC) and RSS as it goes.
import { setTimeout as sleep } from 'node:timers/promises';
import { consumeRaw, createBenchClient } from './consumers.mjs';
import { createSequenceCheck, peakRssBytes, readChildConfig, reportResult } from './child-result.mjs';
import { sequenceOf } from './status-generator.mjs';

const config = readChildConfig();
const errors = [];
const onError = (error) => errors.push(`${error.name}: ${error.message}`);

async function serverStats(baseUrl) {
  return (await fetch(`${baseUrl}/bench/stats`)).json();
}

async function idle({ baseUrl, durationMs }) {
  const stream = createBenchClient(baseUrl).public({}, { onError });
  const iterator = stream[Symbol.asyncIterator]();
  // The stream never yields; keep one pull outstanding, as a real idle consumer would.
  const pending = iterator.next();
  await sleep(durationMs);
  const heartbeatsSeen = stream.stats.lastHeartbeatAt !== undefined;
  await iterator.return();
  await pending;
  return { peakRss: peakRssBytes(), heartbeatsSeen };
}

/** Waits until `consumed` statuses are due at `eventsPerSecond` since `startedAt`. */
async function pace(consumed, eventsPerSecond, startedAt) {
  const dueMs = (consumed / eventsPerSecond) * 1000 - (performance.now() - startedAt);
  if (dueMs >= 1) await sleep(dueMs);
}

/**
 * A consumer taking statuses at a fixed slow rate: core with defaults, or
 * (`consumer: 'raw'`) the raw client paced the same way, as a control for
 * what Node's fetch itself keeps in memory. Peak RSS is read before the
 * final forced GC, which then shows what was really live.
 */
async function slow({ baseUrl, events, eventsPerSecond, consumer }) {
  const sequence = createSequenceCheck(sequenceOf);
  const startedAt = performance.now();
  let consumed = 0;
  const onStatus = async (id) => {
    sequence.see(id);
    if (++consumed === events) return false;
    await pace(consumed, eventsPerSecond, startedAt);
    return true;
  };
  let inFlight = 0;
  if (consumer === 'raw') {
    await consumeRaw(baseUrl, onStatus);
    inFlight = (await serverStats(baseUrl)).head - consumed;
  } else {
    for await (const event of createBenchClient(baseUrl).public({}, { onError })) {
      if (event.event !== 'update') continue;
      if (!(await onStatus(event.payload.id))) {
        // How far the server got ahead of this consumer: kernel socket buffers plus core's small queue.
        inFlight = (await serverStats(baseUrl)).head - consumed;
        break;
      }
    }
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const peakRss = peakRssBytes();
  globalThis.gc?.();
  await sleep(50);
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { peakRss, liveAfterGc: heapUsed + arrayBuffers, consumed, eventsPerSecond: consumed / seconds, inFlight, sequenceAnomalies: sequence.anomalies };
}

async function soak({ baseUrl, events, reconnects, sampleEvery, reconnect }) {
  let gaps = 0;
  const stream = createBenchClient(baseUrl).public({}, { onError, reconnect, onGap: (gap) => { if (gap.reason !== 'not-recoverable') gaps++; } });
  const sequence = createSequenceCheck(sequenceOf);
  const samples = [];
  let received = 0;
  let fromCatchUp = 0;
  const startedAt = performance.now();
  for await (const event of stream) {
    if (event.event !== 'update') continue;
    sequence.see(event.payload.id);
    if (event.source === 'catchup') fromCatchUp++;
    received++;
    if (received % sampleEvery === 0) {
      globalThis.gc();
      const { heapUsed, rss } = process.memoryUsage();
      samples.push({ events: received, heapUsed, rss, reconnects: stream.stats.reconnects });
    }
    if (received >= events && stream.stats.reconnects >= reconnects) break;
  }
  return {
    statuses: received,
    samples,
    peakRss: peakRssBytes(),
    seconds: (performance.now() - startedAt) / 1000,
    reconnects: stream.stats.reconnects,
    duplicatesDropped: stream.stats.duplicatesDropped,
    fromCatchUp,
    gapSignals: gaps,
    sequenceAnomalies: sequence.anomalies,
    serverDrops: (await serverStats(baseUrl)).drops.length,
  };
}

const modes = { idle, slow, soak };
const result = await modes[config.mode](config);
reportResult({ ...result, coreErrorCount: errors.length, coreErrors: errors.slice(0, 3) });
