// Memory measurements, each in its own process, all with core's defaults:
//  idle — an open stream that only gets heartbeats (the baseline);
//  slow — a consumer that takes events at a fixed, slow rate (backpressure);
//  soak — a long stream with forced drops, reconnects and catch-up, sampling
//         heap (after full GC) and RSS as it goes.
import { setTimeout as sleep } from 'node:timers/promises';
import { createBenchClient } from './consumers.mjs';
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

async function slow({ baseUrl, events, eventsPerSecond }) {
  const stream = createBenchClient(baseUrl).public({}, { onError });
  const sequence = createSequenceCheck(sequenceOf);
  const startedAt = performance.now();
  let consumed = 0;
  let inFlight = 0;
  for await (const event of stream) {
    if (event.event !== 'update') continue;
    sequence.see(event.payload.id);
    consumed++;
    if (consumed === events) {
      // How far the server got ahead of this consumer: kernel buffers plus core's small queue.
      inFlight = (await serverStats(baseUrl)).head - consumed;
      break;
    }
    // Pace: event n is taken no earlier than n / rate seconds after the start.
    const dueMs = (consumed / eventsPerSecond) * 1000 - (performance.now() - startedAt);
    if (dueMs >= 1) await sleep(dueMs);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  return { peakRss: peakRssBytes(), consumed, eventsPerSecond: consumed / seconds, inFlight, sequenceAnomalies: sequence.anomalies };
}

async function soak({ baseUrl, events, sampleEvery, reconnect }) {
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
    if (received === events) break;
  }
  return {
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
