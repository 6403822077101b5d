// Summarises a V8 .cpuprofile: self time per function (name, file:line),
// largest first, as a share of all samples. Used by `run.mjs --profile`.
import { readFileSync } from 'node:fs';

export function summariseProfile(path, top = 15) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const byFunction = new Map();
  let total = 0;
  for (const [id, count] of selfSamples) {
    const { callFrame } = nodes.get(id);
    const file = callFrame.url ? callFrame.url.replace(/^.*\/(packages|node_modules)\//, '$1/') : '';
    const key = `${callFrame.functionName || '(anonymous)'} ${file}${file ? `:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    total += count;
  }
  return [...byFunction.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, top)
    .map(([name, count]) => ({ name, share: count / total }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { name, share } of summariseProfile(process.argv[2], Number(process.argv[3] ?? 20))) {
    console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}
