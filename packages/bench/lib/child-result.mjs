// How a measurement child reports back: one JSON line on stdout, tagged so
// stray output (warnings) cannot be mistaken for it.
export const RESULT_TAG = '@@bench-result ';

export function readChildConfig() {
  return JSON.parse(process.argv[2] ?? '{}');
}

export function reportResult(result) {
  process.stdout.write(`${RESULT_TAG}${JSON.stringify(result)}\n`);
}

/** Peak resident set of this process in bytes (getrusage maxrss, i.e. VmHWM on Linux). */
export function peakRssBytes() {
  return process.resourceUsage().maxRSS * 1024;
}

export function cpuMicros(since) {
  const usage = process.cpuUsage(since);
  return usage.user + usage.system;
}

/**
 * Checks that statuses arrive exactly once and in order: the bench server
 * numbers them 1, 2, 3… per run, so any gap or repeat is a lost or duplicated event.
 */
export function createSequenceCheck(sequenceOf) {
  let last;
  let anomalies = 0;
  return {
    see(id) {
      const sequence = sequenceOf(id);
      if (last !== undefined && sequence !== last + 1) anomalies++;
      last = sequence;
    },
    get anomalies() {
      return anomalies;
    },
  };
}
