// The throughput section: every row, ours and the peers', read in slices
// next to its raw twins, all in one run on one server.
//
// Every row, (a) included, is a group: the row's client process and its twins,
// raw clients on the same schedule: (a), and for WebSocket peers also (w).
// In a round each member reads one slice, back to back, in an order rotated
// every round (for a pair: twin first in even rounds, row first in odd ones),
// so drift cancels. A row's ratio compares it with its own twin's slice next
// to it, never with a process that runs more often: one shared (a) slice
// between every two row slices (an earlier method) ran five times as often as
// any row, and a second raw client measured like a row then scored 0.94 to
// 0.95 against it. (a) against its own twin is the control: what "no
// difference" reads as in this run. Each row has `pairsPerRow` groups, so no
// one process's luck (its heap sizing, where it landed in memory) decides it.
import { PYTHON, scenarioUrl, startPythonSlicedChild, startSlicedChild } from './processes.mjs';
import { BENCH_TOKEN } from './consumers.mjs';
import { median } from './stats.mjs';

/** Starts one member of a group: the row itself or a twin, under the row's runtime. */
async function startMember(origin, spec, row, name, runtimes) {
  try {
    if (spec.runtime === 'python' && row === spec.row) {
      const client = await startPythonSlicedChild('mastodonpy-client.py', { baseUrl: scenarioUrl(origin, name, { sa: 'http' }), token: BENCH_TOKEN });
      return { ...client, version: client.ready.version };
    }
    const execPath = spec.runtime === 'node24' ? runtimes.node24 : process.execPath;
    return await startSlicedChild('throughput-client.mjs', { baseUrl: scenarioUrl(origin, name), row }, { execPath });
  } catch (error) {
    const runtime = spec.runtime === 'python' ? PYTHON : spec.runtime === 'node24' ? `Node 24 (${runtimes.node24})` : `Node ${process.version}`;
    throw new Error(`row (${spec.row}) ${spec.client}: its ${row === spec.row ? 'client' : `(${row}) twin`} failed to start under ${runtime}: ${error.message}`);
  }
}

export async function measureThroughput({ origin, rows, plan, runtimes, progress }) {
  const runnable = rows.filter((spec) => !spec.pending);
  const groups = [];
  for (let pair = 0; pair < plan.pairsPerRow; pair++) {
    for (const spec of runnable) {
      const twins = spec.twins ?? ['a'];
      const members = [];
      for (const twin of twins) members.push({ role: twin, client: await startMember(origin, spec, twin, `throughput-${spec.row}-${pair}-twin-${twin}`, runtimes) });
      members.push({ role: 'row', client: await startMember(origin, spec, spec.row, `throughput-${spec.row}-${pair}`, runtimes) });
      groups.push({ spec, members, sliceEvents: Math.max(1, Math.round(plan.sliceEvents * (spec.sliceScale ?? 1))) });
    }
  }
  const perRow = new Map(rows.map((spec) => [spec.row, { ...spec, eventsPerSecond: [], cpuMicrosPerEvent: [], roundRatios: [], cpuRoundRatios: [], transportRatios: [], cpuTransportRatios: [], carriedOver: 0, consumed: 0 }]));
  progress(`throughput: warm-up, ${plan.warmupEvents} statuses per process (${runnable.length} rows × ${plan.pairsPerRow}, each with its raw twins)`);
  for (const { spec, members, sliceEvents } of groups) {
    for (const { role, client } of members) {
      // Python reads ~100× slower: it warms up on a scaled count; Node processes all get the full warm-up.
      const python = role === 'row' && spec.runtime === 'python';
      await client.slice(python ? Math.round(plan.warmupEvents * (sliceEvents / plan.sliceEvents)) : plan.warmupEvents);
    }
  }
  for (let round = 0; round < plan.repetitions; round++) {
    if (round % 10 === 0) progress(`throughput: rounds ${round + 1}–${Math.min(round + 10, plan.repetitions)} of ${plan.repetitions}`);
    for (let index = 0; index < groups.length; index++) {
      const { spec, members, sliceEvents } = groups[(index + round) % groups.length];
      const readings = new Map();
      for (let turn = 0; turn < members.length; turn++) {
        const { role, client } = members[(turn + round) % members.length];
        const { seconds, cpuMicros } = await client.slice(sliceEvents);
        readings.set(role, { rate: sliceEvents / seconds, cpu: cpuMicros / sliceEvents });
      }
      const entry = perRow.get(spec.row);
      const measured = readings.get('row');
      entry.consumed += sliceEvents;
      entry.eventsPerSecond.push(measured.rate);
      entry.cpuMicrosPerEvent.push(measured.cpu);
      entry.roundRatios.push(measured.rate / readings.get('a').rate);
      entry.cpuRoundRatios.push(readings.get('a').cpu / measured.cpu);
      if (readings.has('w')) {
        entry.transportRatios.push(measured.rate / readings.get('w').rate);
        entry.cpuTransportRatios.push(readings.get('w').cpu / measured.cpu);
      }
    }
  }
  for (const { spec, members } of groups) {
    for (const { role, client } of members) {
      const report = await client.finish();
      const name = role === 'row' ? `(${spec.row})` : `(${spec.row})'s (${role}) twin`;
      if (report.sequenceAnomalies > 0 || report.coreErrorCount > 0) throw new Error(`row ${name} lost, repeated or rejected statuses: ${JSON.stringify(report)}`);
      if (role !== 'row') continue;
      const entry = perRow.get(spec.row);
      entry.peakRss = Math.max(entry.peakRss ?? 0, report.peakRss);
      entry.carriedOver += report.carriedOver ?? 0;
      if (client.version) entry.version = client.version;
    }
  }
  return [...perRow.values()].map((entry) =>
    entry.pending
      ? entry
      : {
          ...entry,
          ratio: median(entry.roundRatios),
          cpuRatio: median(entry.cpuRoundRatios),
          ...(entry.transportRatios.length > 0 ? { transportRatio: median(entry.transportRatios), cpuTransportRatio: median(entry.cpuTransportRatios) } : {}),
        },
  );
}
