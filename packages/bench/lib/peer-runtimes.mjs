// The runtimes the peer rows need besides the bench's own Node, found (or, for
// Node 24, installed) before anything is measured, so that a missing one stops
// the run with a message that says what to do instead of a row that silently
// goes missing from the table.
import { spawnSync } from 'node:child_process';
import { ensureRuntimes } from '../../../scripts/ensure-runtimes.mjs';
import { PYTHON } from './processes.mjs';

/** Node 24 for the rows that need it, from .tools/ (installed from npm there, as the test suite does). */
function node24() {
  // ensure-runtimes prints its install line on stdout, which is the bench's Markdown: move it to stderr.
  const log = console.log;
  console.log = (...args) => console.error(...args);
  try {
    return ensureRuntimes().node24;
  } catch (error) {
    throw new Error(`masto.js and megalodon rows need Node 24, which scripts/ensure-runtimes.mjs could not install into .tools/: ${error.message}`);
  } finally {
    console.log = log;
  }
}

/** `{ version, python }` of row (j)'s Mastodon.py and Python; throws how to fix it when it cannot import. */
function checkMastodonPy() {
  const script = "import platform; from importlib.metadata import version; import mastodon; print(version('Mastodon.py'), platform.python_version())";
  const probe = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0) {
    const [version, python] = probe.stdout.trim().split(' ');
    return { version, python: `Python ${python}` };
  }
  const why = probe.error ? probe.error.message : probe.stderr.trim().split('\n').at(-1);
  throw new Error(
    `row (j) Mastodon.py cannot run: ${PYTHON} failed to import it (${why}). ` +
      'Install it with `apt-get install python3-mastodon` (Debian), or set TOOTSTREAM_BENCH_PYTHON to a Python that has Mastodon.py.',
  );
}

/** `{ node24, mastodonPy }` for the given rows; throws when one of them cannot run. */
export function resolvePeerRuntimes(rows) {
  const runtimes = {};
  if (rows.some((row) => row.runtime === 'node24')) runtimes.node24 = node24();
  if (rows.some((row) => row.runtime === 'python')) runtimes.mastodonPy = checkMastodonPy();
  return runtimes;
}
