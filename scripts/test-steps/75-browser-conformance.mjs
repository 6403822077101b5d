// The streaming conformance suite (scripts/conformance/, seeded chaos included)
// in headless Chromium (Debian's /usr/bin/chromium via playwright-core; no
// browser is ever downloaded): the same cases as on Node 20, Node 24 and Deno 2,
// run by the browser's own fetch and streams against fake servers on other
// ports (cross-origin, as a dashboard talks to an instance). The page loads the
// BUILT packages through an import map. Fails if any case fails or none ran.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { browserModules, fileForPath, importMapTag } from '../../examples/browser/browser-modules.mjs';
import { repoRoot, startControlServer } from '../conformance/processes.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SUITE_TIMEOUT_MS = 240_000;

if (!existsSync(CHROMIUM)) {
  console.error(`75-browser-conformance: ${CHROMIUM} is missing. Install Debian's Chromium: apt-get install -y chromium (.ci/run does this).`);
  process.exit(1);
}
const listenerEntry = join(repoRoot, 'packages/listener/dist/index.js');
const ledgerEntry = join(repoRoot, 'packages/testkit/dist/ledger.js');
for (const built of [listenerEntry, ledgerEntry]) {
  if (!existsSync(built)) {
    console.error(`75-browser-conformance: ${built} is missing; run \`node scripts/build.mjs\` (step 10) first`);
    process.exit(1);
  }
}

// chaos-cases.mjs imports the built, node-free `@tootstream/testkit/ledger` (the chaos oracle) by its path
// in the repository, as Node and Deno do; the import map sends that path to the testkit's dist, served
// like the other packages (its shared chunk is found next to it).
const modules = [
  ...browserModules(),
  { name: '@tootstream/listener', prefix: '/modules/@tootstream/listener/', dir: dirname(listenerEntry), url: '/modules/@tootstream/listener/index.js' },
  { name: '/packages/testkit/dist/ledger.js', prefix: '/modules/@tootstream/testkit/', dir: dirname(ledgerEntry), url: '/modules/@tootstream/testkit/ledger.js' },
];
const roots = [{ prefix: '/conformance/', dir: join(repoRoot, 'scripts/conformance') }, ...modules];
const page = `<!doctype html><meta charset="utf-8"><title>tootstream conformance</title>${importMapTag(modules)}<script type="module" src="/conformance/browser-entry.mjs"></script>`;

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (pathname === '/') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return response.end(page);
  }
  const file = fileForPath(pathname, roots);
  // Only the suite's own modules: never control-server.mjs or the Node-side helpers.
  const allowed = file !== undefined && (!pathname.startsWith('/conformance/') || /^\/conformance\/(browser-entry|harness|stream-cases|chaos-cases|listener-cases)\.mjs$/.test(pathname));
  const body = allowed ? await readFile(file).catch(() => undefined) : undefined;
  if (body === undefined) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    return response.end('Not found');
  }
  response.writeHead(200, { 'Content-Type': ['.js', '.mjs'].includes(extname(file)) ? 'text/javascript' : 'application/octet-stream', 'Cache-Control': 'no-store' });
  response.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}`;
const control = await startControlServer();

let result;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const tab = await browser.newPage();
  const pageErrors = [];
  tab.on('pageerror', (error) => pageErrors.push(error.message));
  tab.on('console', (message) => {
    if (message.type() === 'log') console.log(`[chromium] ${message.text()}`);
  });
  await tab.goto(`${pageUrl}/?control=${encodeURIComponent(control.controlUrl)}`);
  await tab.waitForFunction(() => window.__conformance !== undefined, undefined, { timeout: SUITE_TIMEOUT_MS });
  result = await tab.evaluate(() => window.__conformance);
  for (const error of pageErrors) console.log(`[chromium] page error: ${error}`);
  if (pageErrors.length > 0) result.failed++;
} finally {
  await browser.close();
  await control.stop();
  server.close();
}

console.log(`\n75-browser-conformance: ${result.passed} passed, ${result.failed} failed in Chromium`);
if (result.failed > 0 || result.passed === 0) process.exit(1);
