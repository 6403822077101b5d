// One row's client for the throughput table, alive for the whole section.
// The orchestrator has all rows connected at once but lets only one read at a
// time, in slices: it sends `{ slice: n }`, this process reads n statuses and
// reports the wall and CPU time they took, then stops pulling (backpressure
// holds the server) until the next slice. Alternating rows every fraction of
// a second puts them under the same machine conditions, which long runs one
// after another on a shared 2-core machine do not.
import { consumerFor, coreErrors } from './consumers.mjs';
import { carriedOver, peerConsumerFor, peerErrors } from './peer-consumers.mjs';
import { cpuMicros, createSequenceCheck, peakRssBytes, readChildConfig } from './child-result.mjs';
import { sequenceOf } from './status-generator.mjs';

const { baseUrl, row } = readChildConfig();
const sequence = createSequenceCheck(sequenceOf);
let remaining = 0;
let sliceStartedAt = 0;
let sliceCpu;
let resumeReading;

function startSlice(statuses) {
  remaining = statuses;
  sliceCpu = process.cpuUsage();
  sliceStartedAt = performance.now();
}

process.on('message', (message) => {
  if (message.slice === undefined) return;
  const resume = resumeReading;
  resumeReading = undefined;
  startSlice(message.slice);
  // 0 = stop: the consumer closes its connection and the process reports.
  resume(message.slice > 0);
});

const firstSlice = new Promise((resolve) => (resumeReading = resolve));

const onStatus = (id) => {
  sequence.see(id);
  if (--remaining > 0) return true;
  process.send({ seconds: (performance.now() - sliceStartedAt) / 1000, cpuMicros: cpuMicros(sliceCpu) });
  return new Promise((resolve) => (resumeReading = resolve));
};

process.send({ ready: true });
if (await firstSlice) {
  await (peerConsumerFor(row) ?? consumerFor(row))(baseUrl, onStatus);
}
// Exits once the report is sent: a peer may leave timers behind (megalodon's
// ping and reconnect timers outlive its `stop()`), which would keep the process alive.
process.send({
  done: true,
  peakRss: peakRssBytes(),
  sequenceAnomalies: sequence.anomalies,
  coreErrors: [...coreErrors, ...peerErrors].slice(0, 3),
  coreErrorCount: coreErrors.length + peerErrors.length,
  carriedOver: carriedOver.statuses,
}, () => process.exit(0));
