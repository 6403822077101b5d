// The streaming conformance suite (scripts/conformance/, seeded chaos included)
// in headless Chromium (Debian's /usr/bin/chromium via playwright-core; no
// browser is ever downloaded): the same cases as on Node 20, Node 24 and Deno 2,
// run by the browser's own fetch and streams against fake servers on other
// ports (cross-origin, as a dashboard talks to an instance). The page loads the
// BUILT packages through an import map.
//
// Under the browser sanitizer (scripts/browser-sanitizer/): after each case,
// the page must hold no timer, no event listener that could still be called and
// no request or response body in flight that the code under test started
// during the case, or the case fails naming each, with the stack that created
// it. Before the suite, a canary page whose cases leak on purpose must fail
// each one naming its leak (and pass a case that ends everything it starts),
// or a green suite would only mean the tracker saw nothing.
// Fails on any failed case, on none run, or on a canary that did not fail as it must.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { dirname, extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { browserModules, fileForPath, importMapTag } from '../../examples/browser/browser-modules.mjs';
import { repoRoot, startControlServer } from '../conformance/processes.mjs';
import { watchNetwork } from '../browser-sanitizer/network-watch.mjs';
import { createStackMapper } from '../browser-sanitizer/stack-sources.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SUITE_TIMEOUT_MS = 240_000;
const RESULT_POLL_MS = 100;

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
const roots = [{ prefix: '/conformance/', dir: join(repoRoot, 'scripts/conformance') }, { prefix: '/browser-sanitizer/', dir: join(repoRoot, 'scripts/browser-sanitizer') }, ...modules];
// The sanitizer's check (and its tracker) is listed first: module scripts run in document order, each with all it
// imports, so the timer and listener functions are wrapped before any of the packages' code runs.
const pageOf = (title, ...entries) => `<!doctype html><meta charset="utf-8"><title>${title}</title>${importMapTag(modules)}${entries.map((entry) => `<script type="module" src="${entry}"></script>`).join('')}`;
const pages = {
  '/': pageOf('tootstream conformance', '/browser-sanitizer/case-check.mjs', '/conformance/browser-entry.mjs'),
  '/canary': pageOf('tootstream sanitizer canary', '/browser-sanitizer/canary-entry.mjs'),
};

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (Object.hasOwn(pages, pathname)) {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return response.end(pages[pathname]);
  }
  const file = fileForPath(pathname, roots);
  // Only the suite's and the sanitizer's page modules: never control-server.mjs or the Node-side helpers.
  const allowed =
    file !== undefined &&
    (!pathname.startsWith('/conformance/') || /^\/conformance\/(browser-entry|harness|stream-cases|utf8-cases|chaos-cases|listener-cases)\.mjs$/.test(pathname)) &&
    (!pathname.startsWith('/browser-sanitizer/') || /^\/browser-sanitizer\/(suite-code|page-tracker|case-check|canary-cases|canary-entry)\.mjs$/.test(pathname));
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
const withSources = createStackMapper({ pageUrl, roots, repoRoot });
const control = await startControlServer();

/**
 * Opens `path` in a new tab under the sanitizer's network watch and resolves with what the page leaves in
 * `window[resultName]`, and the page's uncaught errors. `relay` prints the page's log lines as they come.
 */
async function runPage(browser, path, resultName, { relay }) {
  const tab = await browser.newPage();
  try {
    const cdp = await watchNetwork(tab);
    const pageErrors = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    if (relay) {
      tab.on('console', (message) => {
        if (message.type() === 'log') console.log(withSources(`[chromium] ${message.text()}`));
      });
    }
    await tab.goto(`${pageUrl}${path}?control=${encodeURIComponent(control.controlUrl)}`);
    // Read by a bare CDP evaluation, not Playwright's waitForFunction: that installs Playwright's injected script in
    // the page, whose timers and window listeners (it starts them whenever it first runs) would be counted.
    for (const deadline = Date.now() + SUITE_TIMEOUT_MS; Date.now() < deadline; await delay(RESULT_POLL_MS)) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: `window.${resultName}`, returnByValue: true });
      if (result.value !== undefined) return { result: result.value, pageErrors };
    }
    throw new Error(`${path}: no result after ${SUITE_TIMEOUT_MS} ms`);
  } finally {
    // Closing the tab ends whatever its page left running (the canary's leaks among them).
    await tab.close();
  }
}

const started = Date.now();
let canary;
let suite;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  canary = await runPage(browser, '/canary', '__canary', { relay: false });
  suite = await runPage(browser, '/', '__conformance', { relay: true });
} finally {
  await browser.close();
  await control.stop();
  server.close();
}

const problems = [];
const canaryProblems = [...canary.result.problems, ...canary.pageErrors.map((error) => `page error: ${error}`)];
if (canaryProblems.length > 0) {
  // Its expected failures are shown only when the canary did not behave as it must.
  console.log(withSources(canary.result.lines.map((line) => `[chromium canary] ${line}`).join('\n')));
  problems.push(`the sanitizer's canary: ${canaryProblems.join('; ')}`);
} else {
  console.log('canary: its leaked timer, interval, unread streaming response, abort listener and window listener each failed their case, and its clean case passed, so the sanitizer sees them');
}
const { passed, failed, sanitized } = suite.result;
for (const error of suite.pageErrors) console.log(`[chromium] page error: ${error}`);
if (failed > 0 || suite.pageErrors.length > 0) problems.push(`${failed} case(s) failed${suite.pageErrors.length > 0 ? `, ${suite.pageErrors.length} page error(s)` : ''}`);
if (passed === 0) problems.push('no case passed');
if (!sanitized) problems.push('the suite ran without the sanitizer\'s check (case-check.mjs did not load first)');

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n75-browser-conformance: ${passed} passed, ${failed} failed in Chromium, under the browser sanitizer, in ${seconds} s`);
if (problems.length > 0) {
  console.error(withSources(`75-browser-conformance: FAILED: ${problems.join('; ')}`));
  process.exit(1);
}
