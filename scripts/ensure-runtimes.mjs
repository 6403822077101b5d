// Installs the extra runtimes the cross-runtime steps need — Node 24 and Deno 2 —
// into .tools/ (gitignored) from the npm registry, the only registry a fresh CI
// machine can reach: both ship their binaries inside npm packages. Idempotent:
// a runtime that already answers `--version` with the pinned version is kept.
//
// Usage: node scripts/ensure-runtimes.mjs [--json]
//   prints `node24: <path>` and `deno: <path>` (or one JSON object with --json).
// Also importable: `ensureRuntimes()` resolves to { node24, deno } paths.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE24_VERSION = '24.21.0';
export const DENO_VERSION = '2.9.6';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const toolsDir = join(repoRoot, '.tools');
const modulesDir = join(toolsDir, 'node_modules');

// Where each package leaves its binary. The wrapper packages (`node`, `deno`)
// copy or link the binary from a per-platform package in an install script;
// should a future npm skip those scripts, the per-platform package still holds it.
function nodeCandidates() {
  const platformPackage = `node-${process.platform}-${process.arch}`;
  return [
    join(modulesDir, 'node', 'bin', 'node'),
    join(modulesDir, 'node', 'node_modules', platformPackage, 'bin', 'node'),
    join(modulesDir, platformPackage, 'bin', 'node'),
  ];
}

function denoCandidates() {
  const libc = process.platform === 'linux' ? '-glibc' : '';
  return [join(modulesDir, 'deno', 'deno'), join(modulesDir, '@deno', `${process.platform}-${process.arch}${libc}`, 'deno')];
}

/** The first candidate whose `--version` output contains `expected`, or undefined. */
function findWorking(candidates, expected) {
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0 && probe.stdout.includes(expected)) return candidate;
  }
  return undefined;
}

// pnpm runs the test command with its own npm_* variables (user agent, exec
// path, package fields); npm must not mistake them for its own configuration.
function cleanNpmEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config_user_agent|execpath|node_execpath|command|lifecycle_|package_)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function npmInstall(specs) {
  mkdirSync(toolsDir, { recursive: true });
  console.log(`ensure-runtimes: npm install --prefix .tools ${specs.join(' ')}`);
  // The `node` package installs its binary in a preinstall script: scripts must run.
  execFileSync('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts=false', '--loglevel=error', ...specs], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: cleanNpmEnvironment(),
    timeout: 600_000,
  });
}

/** Makes sure both runtimes are installed; returns their paths. Throws when one cannot be had. */
export function ensureRuntimes() {
  let node24 = findWorking(nodeCandidates(), `v${NODE24_VERSION}`);
  let deno = findWorking(denoCandidates(), `deno ${DENO_VERSION}`);
  const missing = [];
  if (node24 === undefined) missing.push(`node@${NODE24_VERSION}`);
  if (deno === undefined) missing.push(`deno@${DENO_VERSION}`);
  if (missing.length > 0) {
    // Both are named each time: `npm install --prefix` prunes what the command line omits.
    npmInstall([`node@${NODE24_VERSION}`, `deno@${DENO_VERSION}`]);
    node24 = findWorking(nodeCandidates(), `v${NODE24_VERSION}`);
    deno = findWorking(denoCandidates(), `deno ${DENO_VERSION}`);
  }
  if (node24 === undefined) throw new Error(`ensure-runtimes: Node ${NODE24_VERSION} did not install into ${modulesDir}`);
  if (deno === undefined) throw new Error(`ensure-runtimes: Deno ${DENO_VERSION} did not install into ${modulesDir}`);
  return { node24, deno };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const paths = ensureRuntimes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(paths));
  else for (const [name, path] of Object.entries(paths)) console.log(`${name}: ${path}`);
}
