// One throughput measurement in its own process: a row's consumer reads
// `warmup` statuses (JIT, connection, buffers), then `events` more are timed.
import { consumerFor, coreErrors } from './consumers.mjs';
import { cpuMicros, createSequenceCheck, peakRssBytes, readChildConfig, reportResult } from './child-result.mjs';
import { sequenceOf } from './status-generator.mjs';

const { baseUrl, row, warmup, events } = readChildConfig();
const sequence = createSequenceCheck(sequenceOf);
let received = 0;
let startedAt = 0;
let cpuAtStart;
let finishedAt = 0;
let cpuUsed = 0;

const onStatus = (id) => {
  sequence.see(id);
  received++;
  if (received === warmup) {
    cpuAtStart = process.cpuUsage();
    startedAt = performance.now();
  } else if (received === warmup + events) {
    finishedAt = performance.now();
    cpuUsed = cpuMicros(cpuAtStart);
    return false;
  }
  return true;
};

await consumerFor(row)(baseUrl, onStatus);
if (received < warmup + events) throw new Error(`row ${row}: stream ended after ${received} statuses`);
const seconds = (finishedAt - startedAt) / 1000;
reportResult({
  eventsPerSecond: events / seconds,
  cpuMicrosPerEvent: cpuUsed / events,
  peakRss: peakRssBytes(),
  sequenceAnomalies: sequence.anomalies,
  coreErrors: coreErrors.slice(0, 3),
  coreErrorCount: coreErrors.length,
});
