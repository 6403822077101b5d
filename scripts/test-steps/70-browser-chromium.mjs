// The browser dashboard in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is ever downloaded). Starts
// examples/browser/serve.mjs (built packages + testkit with simulated
// traffic), then checks: status cards from the testkit appear, in a WAI-ARIA
// feed (articles named by their header, positions kept right through every
// change, aria-busy during catch-ups, Page Down/Up, one card a tab stop: real
// Tab presses enter the feed once and leave it); custom emoji become inline
// images named by their shortcode (in text, links, display names and content
// warnings), from http(s) URLs only, and stand still
// under prefers-reduced-motion (the checks are in ../browser-dashboard/); the
// page loaded packages/core/dist (not src); events/s and the heartbeat time
// update; a server outage shows "reconnecting", then "open" again with new
// cards; pause/resume brings back catch-up cards; a tab woken from a sleep
// (wall-clock jump + visibilitychange) replaces its dead connection at once.
// Writes examples/browser/screenshot.png (the README shows it).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { checkCustomEmoji, checkReducedMotionEmoji, checkSpoilerEmoji, postEmojiStatus } from '../browser-dashboard/emoji-checks.mjs';
import { checkArticleName, checkFeedHistory, checkFeedKeys, checkFeedSemantics, checkOneTabStop, watchFeed } from '../browser-dashboard/feed-checks.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'examples/browser/screenshot.png';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!existsSync(CHROMIUM)) {
  console.error(`70-browser-chromium: ${CHROMIUM} is missing. Install Debian's Chromium: apt-get install -y chromium (.ci/run does this).`);
  process.exit(1);
}

const failures = [];
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
/** Runs `step`, recording a failure (with the reason) instead of throwing. */
const attempt = async (what, step) => {
  try {
    const detail = await step();
    check(true, detail ? `${what} (${detail})` : what);
  } catch (error) {
    check(false, `${what}: ${error.message.split('\n')[0]}`);
  }
};

// Heartbeats every second so the heartbeat time visibly moves; no random drops (the test drops on purpose).
const server = spawn(process.execPath, ['examples/browser/serve.mjs', '--port', '0', '--heartbeat-ms', '1000', '--rate', '4', '--drop-every', '0', '--test-endpoints'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const serverExited = new Promise((resolve) => server.on('close', resolve));
const dashboardUrl = await new Promise((resolve, reject) => {
  let output = '';
  const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${output}`)), 15_000);
  server.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
    const match = /Dashboard: (http:\/\/\S+)/.exec(output);
    if (match) (clearTimeout(timer), resolve(match[1]));
  });
  server.on('close', (code) => reject(new Error(`serve.mjs exited with ${code}: ${output}`)));
});
console.log(`dashboard at ${dashboardUrl}`);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  const pageErrors = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Failed requests during the forced outage are expected (Chromium logs them as console errors); anything else is not.
  const expectedNetworkError = /^Failed to load resource: net::ERR_(CONNECTION_REFUSED|INCOMPLETE_CHUNKED_ENCODING|CONNECTION_RESET|EMPTY_RESPONSE)/;
  page.on('console', (message) => message.type() === 'error' && !expectedNetworkError.test(message.text()) && pageErrors.push(message.text()));
  await page.goto(dashboardUrl);

  const state = () => page.locator('#connection-state').getAttribute('data-state');
  const statusIds = () => page.locator('.card.status').evaluateAll((cards) => cards.map((card) => card.dataset.id));
  const waitForState = (wanted, timeout) =>
    page.waitForFunction((value) => document.querySelector('#connection-state')?.dataset.state === value, wanted, { timeout, polling: 50 });

  await attempt('the stream opens (connection state "open")', async () => void (await waitForState('open', 10_000)));
  await attempt('status cards from the testkit appear', async () => {
    await page.waitForFunction(() => document.querySelectorAll('.card.status').length >= 3, null, { timeout: 15_000 });
    const first = page.locator('.card.status').first();
    const acct = await first.locator('.acct').textContent();
    const text = await first.locator('.text').textContent();
    if (!/^@\w/.test(acct ?? '') || !text) throw new Error(`card without author or text: ${acct} / ${text}`);
    return `${await page.locator('.card.status').count()} cards, newest by ${acct}`;
  });
  await attempt('the column is a region "Statuses" holding a feed "Live statuses, newest first" of articles, each named by its author and time line, with its aria-posinset of aria-setsize, one of them a tab stop', async () => {
    await watchFeed(page);
    return await checkFeedSemantics(page);
  });
  await attempt('media URLs that are not http(s) become neither links nor images (a hostile server sent javascript: URLs)', async () => {
    const response = await fetch(new URL('/__test/hostile-media', dashboardUrl), { method: 'POST' });
    const id = await response.text();
    const card = page.locator(`.card.status[data-id="${id}"]`);
    await card.waitFor({ timeout: 10_000 });
    const urls = await card.evaluate((node) => [...node.querySelectorAll('a[href], img[src]')].map((element) => element.getAttribute('href') ?? element.getAttribute('src')));
    const unsafe = urls.filter((url) => !/^https?:/i.test(url ?? ''));
    if (unsafe.length > 0) throw new Error(`unsafe URLs in the card: ${unsafe.join(', ')}`);
    return `card ${id}: ${urls.length} http(s) URLs, ${await card.locator('.media').count()} media strip`;
  });
  let emojiCardId;
  await attempt('custom emoji in the text and the display name are inline images named :shortcode:, never from javascript: or data: URLs, never in an href', async () => {
    emojiCardId = await postEmojiStatus(page, dashboardUrl);
    return await checkCustomEmoji(page, emojiCardId);
  });
  await attempt("a content warning's custom emoji is an inline image named :shortcode: in the disclosure's summary", () => checkSpoilerEmoji(page, dashboardUrl));
  await attempt('under prefers-reduced-motion the custom emoji show their static_url', async () => {
    if (emojiCardId === undefined) throw new Error('no emoji card (the check above failed)');
    return await checkReducedMotionEmoji(page, dashboardUrl, emojiCardId);
  });
  await attempt("a card's accessible name is its author and time line, custom emoji read by their alt text", () =>
    checkArticleName(page, emojiCardId, /Bob Peer :ablobcatwave:\s*@bob\s*\d\d:\d\d:\d\d/),
  );
  await attempt("Page Down and Page Up move focus between cards, Control+Home and Control+End out of the feed (the feed pattern's keys)", () => checkFeedKeys(page));
  await attempt('one tab stop in the feed: Tab from the stream picker reaches one card, then only its own controls, then leaves the feed; Page Down moves to the next card, which Tab then comes back to', () =>
    checkOneTabStop(page),
  );
  await attempt("a deleted status's card is marked deleted (it leaves 15 s later: checked after the screenshot)", async () => {
    const response = await fetch(new URL(`/__test/delete?id=${emojiCardId}`, dashboardUrl), { method: 'POST' });
    if (response.status !== 204) throw new Error(`/__test/delete answered ${response.status}`);
    await page.locator(`.card.deleted[data-id="${emojiCardId}"]`).waitFor({ timeout: 5_000 });
  });
  await attempt('the page loaded the built packages/core/dist and ky (for discovery) via the import map, never src, and no valibot', async () => {
    const wanted = ['/modules/@tootstream/core/index.js', '/modules/ky/index.js'];
    const missing = wanted.filter((path) => !requested.includes(path));
    if (missing.length > 0) throw new Error(`not requested: ${missing.join(', ')}`);
    // Default validation is valibot-free; valibot is only a chunk behind validate: 'full'.
    if (requested.some((path) => path.startsWith('/modules/valibot/'))) throw new Error('valibot was loaded by a page that validates with the default essentials');
    if (requested.some((path) => path.includes('/src/'))) throw new Error('a /src/ file was requested');
    return (await page.locator('#footer').textContent())?.replace(/.*loaded from /, 'loaded from ');
  });
  await attempt('the events/s figure rises above 0 and the sparkline has 60 points', async () => {
    await page.waitForFunction(() => Number(document.querySelector('#events-per-second')?.textContent) > 0, null, { timeout: 15_000 });
    const points = await page.locator('#sparkline polyline').getAttribute('points');
    if ((points ?? '').trim().split(/\s+/).length !== 60) throw new Error(`sparkline points: ${points}`);
    return `${await page.locator('#events-per-second').textContent()} events/s`;
  });
  await attempt('the last heartbeat time updates', async () => {
    await page.waitForFunction(() => document.querySelector('#heartbeat')?.dataset.at, null, { timeout: 5_000 });
    const first = await page.locator('#heartbeat').getAttribute('data-at');
    await page.waitForFunction((before) => document.querySelector('#heartbeat')?.dataset.at !== before, first, { timeout: 5_000 });
    return await page.locator('#heartbeat').textContent();
  });

  await attempt('a server outage shows "reconnecting", then "open" again with new cards', async () => {
    const before = new Set(await statusIds());
    const response = await fetch(new URL('/__test/drop?downMs=2500', dashboardUrl), { method: 'POST' });
    if (response.status !== 204) throw new Error(`/__test/drop answered ${response.status}`);
    await waitForState('reconnecting', 5_000);
    const shown = await page.locator('#connection-state').textContent();
    await waitForState('open', 20_000);
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('.card.status')].some((card) => !known.includes(card.dataset.id)),
      [...before],
      { timeout: 10_000 },
    );
    const log = await page.locator('#connection-log').textContent();
    if (!/reconnecting in/.test(log ?? '')) throw new Error('connection log has no reconnect entry');
    return `showed "${shown}"`;
  });

  await attempt('pause shows "paused"; resume reopens and shows catch-up cards', async () => {
    await page.click('#pause');
    await waitForState('paused', 2_000);
    if ((await page.locator('#pause').textContent()) !== 'Resume') throw new Error('button did not turn into Resume');
    const cardsWhenPaused = new Set(await statusIds());
    await page.waitForTimeout(3_000);
    if ((await statusIds()).some((id) => !cardsWhenPaused.has(id))) throw new Error('cards kept arriving while paused');
    // The outage above already produced catch-up cards: only new ones count as proof of the resume.
    const catchUpBefore = await page.locator('.card[data-source="catchup"]').evaluateAll((cards) => cards.map((card) => card.dataset.id ?? ''));
    await page.click('#pause');
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('.card[data-source="catchup"]')].some((card) => !known.includes(card.dataset.id ?? '')),
      catchUpBefore,
      { timeout: 10_000 },
    );
    await waitForState('open', 10_000);
    const catchUpAfter = await page.locator('.card[data-source="catchup"]').count();
    return `${catchUpAfter - catchUpBefore.length} new catch-up cards`;
  });

  await attempt('leaving for the back/forward cache closes the stream; coming back resumes it with catch-up', async () => {
    // What Chromium fires around a bfcache stay (headless runs have the cache off): pagehide, then pageshow, both persisted.
    const catchUpBefore = await page.locator('.card[data-source="catchup"]').evaluateAll((cards) => cards.map((card) => card.dataset.id ?? ''));
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await waitForState('closed', 5_000);
    const log = await page.locator('#connection-log').textContent();
    if (!/closed \(aborted\)/.test(log ?? '')) throw new Error('the log does not show the stream aborted');
    await page.waitForTimeout(2_000);
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('.card[data-source="catchup"]')].some((card) => !known.includes(card.dataset.id ?? '')),
      catchUpBefore,
      { timeout: 10_000 },
    );
    await waitForState('open', 10_000);
    return `${(await page.locator('.card[data-source="catchup"]').count()) - catchUpBefore.length} catch-up cards for the time away`;
  });

  // A moment of live traffic on top of the catch-up cards, so the screenshot shows both.
  await page.waitForTimeout(700);
  await page.screenshot({ path: SCREENSHOT });
  check(existsSync(SCREENSHOT), `screenshot written to ${SCREENSHOT}`);

  await attempt("through catch-ups and removals each card's place was right and one card was the tab stop after every change, catch-up cards went in while the feed was aria-busy, and it is not busy now", async () => {
    await page.locator(`.card[data-id="${emojiCardId}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    await checkFeedSemantics(page);
    return await checkFeedHistory(page);
  });

  check(pageErrors.length === 0, `no page errors${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`);

  await attempt('a tab woken from sleep replaces its dead connection at once (visibilitychange), not after the 45 s watchdog', async () => {
    // Its own page, with Playwright's clock, whose setSystemTime moves wall-clock time without firing a timer: a sleep.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const woken = await context.newPage();
      await woken.clock.install();
      await woken.goto(dashboardUrl);
      const wokenState = (wanted, timeout) =>
        woken.waitForFunction((value) => document.querySelector('#connection-state')?.dataset.state === value, wanted, { timeout, polling: 50 });
      await wokenState('open', 10_000);
      const response = await fetch(new URL('/__test/stall', dashboardUrl), { method: 'POST' });
      if (response.status !== 204) throw new Error(`/__test/stall answered ${response.status}`);
      const slept = await woken.evaluate(() => Date.now() + 10 * 60_000);
      await woken.clock.setSystemTime(slept);
      const wokeAt = Date.now();
      await woken.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await wokenState('reconnecting', 3_000);
      const noticedMs = Date.now() - wokeAt;
      await wokenState('open', 15_000);
      return `reconnecting ${noticedMs} ms after the wake, then open`;
    } finally {
      await context.close();
    }
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await serverExited;
}

if (failures.length > 0) {
  console.error(`\n70-browser-chromium: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\n70-browser-chromium: all checks passed');
