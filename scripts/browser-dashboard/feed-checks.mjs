// The dashboard's column as a WAI-ARIA feed, for scripts/test-steps/70-browser-chromium.mjs. Cards come
// and go all the time (live traffic, catch-ups, deletes), so besides looking at the column now and then, a
// MutationObserver in the page looks at it after every change: a card left with a stale aria-posinset
// between two insertions would otherwise be renumbered by the next one before a check saw it. Each check
// throws what it found wrong, or returns a detail for the log.

/** Starts the watcher: card positions after every batch of changes, and aria-busy when catch-up cards go in. */
export async function watchFeed(page) {
  await page.evaluate(() => {
    const feed = document.getElementById('cards');
    const seen = { removed: 0, catchUpAdded: 0, catchUpAddedIdle: 0, busySpans: 0, misplaced: [], tabStops: [] };
    globalThis.feedWatch = seen;
    new MutationObserver((records) => {
      // A batch may hold several aria-busy changes: walking back from the value now, each one tells the value before it.
      let busy = feed.getAttribute('aria-busy');
      for (const record of [...records].reverse()) {
        if (record.type === 'attributes') {
          if (busy === 'true' && record.oldValue !== 'true') seen.busySpans++;
          busy = record.oldValue;
          continue;
        }
        seen.removed += record.removedNodes.length;
        for (const node of record.addedNodes) {
          if (node.dataset?.source !== 'catchup') continue;
          seen.catchUpAdded++;
          if (busy !== 'true') seen.catchUpAddedIdle++;
        }
      }
      const cards = [...feed.children];
      cards.forEach((card, index) => {
        const place = `${card.getAttribute('aria-posinset')} of ${card.getAttribute('aria-setsize')}`;
        if (place !== `${index + 1} of ${cards.length}` && seen.misplaced.length < 5) seen.misplaced.push(`card ${index + 1} of ${cards.length} said ${place}`);
      });
      const inTabOrder = cards.filter((card) => card.tabIndex === 0).length;
      if (cards.length > 0 && inTabOrder !== 1 && seen.tabStops.length < 5) seen.tabStops.push(`${inTabOrder} of ${cards.length} cards in the tab order`);
    }).observe(feed, { childList: true, attributes: true, attributeFilter: ['aria-busy'], attributeOldValue: true });
  });
}

export const FEED_NAME = 'Live statuses, newest first';

/**
 * The column is a region named "Statuses" holding a feed of another name (not "Statuses" read twice); each card an
 * article named by its author and time line, in place; one card in the tab order (with its own links and
 * disclosures), every other card and control focusable by script only (tabindex=-1).
 */
export async function checkFeedSemantics(page) {
  const feeds = await page.getByRole('region', { name: 'Statuses', exact: true }).getByRole('feed', { name: FEED_NAME, exact: true }).count();
  const problems = feeds === 1 ? [] : [`${feeds} feeds named "${FEED_NAME}" in a region named "Statuses"`];
  const found = await page.locator('#cards').evaluate((feed) => {
    const wrong = [];
    const busy = feed.getAttribute('aria-busy');
    if (busy !== 'true' && busy !== 'false') wrong.push(`aria-busy="${busy}"`);
    const cards = [...feed.children];
    cards.forEach((card, index) => {
      const at = `card ${index + 1} of ${cards.length}`;
      if (card.localName !== 'article') wrong.push(`${at} is a <${card.localName}>`);
      if (!['0', '-1'].includes(card.getAttribute('tabindex'))) wrong.push(`${at}: tabindex=${card.getAttribute('tabindex')}`);
      const ids = (card.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
      const labels = ids.map((id) => document.getElementById(id));
      const named = labels[0] === card.querySelector(':scope > .card-header') && labels.every((label) => label && card.contains(label) && label.textContent.trim());
      if (!named) wrong.push(`${at}: aria-labelledby="${ids.join(' ')}" is not its author and time line`);
      const place = `${card.getAttribute('aria-posinset')} of ${card.getAttribute('aria-setsize')}`;
      if (place !== `${index + 1} of ${cards.length}`) wrong.push(`${at} says ${place}`);
    });
    // What Tab can reach in the feed: elements whose tabIndex is not negative (a[href] and summary are 0 unless set).
    const owners = new Set([...feed.querySelectorAll('*')].filter((node) => node.tabIndex >= 0).map((node) => node.closest('#cards > *')));
    const stop = cards.find((card) => card.tabIndex === 0);
    if (cards.length > 0 && (owners.size !== 1 || !owners.has(stop))) wrong.push(`Tab reaches ${owners.size} cards, not one card and its controls`);
    return { wrong: wrong.slice(0, 5), cards: cards.length };
  });
  problems.push(...found.wrong);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `${found.cards} articles`;
}

/** The card with `id` is an article whose accessible name is its header: the display name (emoji by their alt), acct, time. */
export async function checkArticleName(page, id, name) {
  const named = page.getByRole('feed', { name: FEED_NAME, exact: true }).getByRole('article', { name });
  const ids = await named.evaluateAll((cards) => cards.map((card) => card.dataset.id));
  if (!ids.includes(id)) throw new Error(`no article named ${name} is card ${id} (named so: ${ids.join(', ') || 'none'})`);
  return `card ${id}`;
}

/** Page Down and Page Up move focus from a card (or a link in it) to the next and the previous card; Control+Home and Control+End out of the feed. */
export async function checkFeedKeys(page) {
  await page.locator('#cards > .card').nth(2).focus();
  await page.evaluate(() => {
    const card = document.activeElement;
    globalThis.feedKeys = { card, next: card.nextElementSibling, previous: card.previousElementSibling };
  });
  const focusIs = (which) => page.evaluate((key) => document.activeElement === globalThis.feedKeys[key], which);
  await page.keyboard.press('PageDown');
  if (!(await focusIs('next'))) throw new Error('Page Down did not move focus to the next card');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  if (!(await focusIs('previous'))) throw new Error('Page Up did not move focus to the previous card');
  const link = page.locator('#cards > .card:has(.text a[href])').first().locator('.text a[href]').first();
  await link.focus();
  await page.evaluate(() => (globalThis.feedKeys.next = document.activeElement.closest('.card').nextElementSibling));
  await page.keyboard.press('PageDown');
  if (!(await focusIs('next'))) throw new Error('Page Down from a link in a card did not move focus to the next card');
  // Control+Home and Control+End leave the feed: to the last thing before it that takes focus, and the first after it.
  await link.focus();
  await page.keyboard.press('Control+Home');
  const before = await page.evaluate(() => document.activeElement?.id);
  if (before !== 'pause') throw new Error(`Control+Home in the feed focused #${before}, not the Pause button before the feed`);
  await page.locator('#cards > .card').nth(1).focus();
  await page.keyboard.press('Control+End');
  const after = await page.evaluate(() => document.activeElement?.id);
  if (after !== 'log-heading') throw new Error(`Control+End in the feed focused #${after}, not the connection log after it`);
  await page.evaluate(() => document.activeElement.blur());
  return 'Page Down, Page Up, Page Down from a link, Control+Home to Pause and Control+End to the connection log';
}

/**
 * Real Tab presses: from the stream picker, past Pause, into the feed at one card; on from there only through that
 * card's own links and disclosures, then out of the feed (never into another card). Page Down moves to the next card,
 * and Tab from the picker then comes back to that card, the one focused last.
 */
export async function checkOneTabStop(page) {
  // Where focus is: outside the feed, on a card, or on a control in a card (a card by its status id: an edit replaces the element).
  const focus = () =>
    page.evaluate(() => {
      const active = document.activeElement;
      const card = active?.closest('#cards > *');
      return { id: active?.id || active?.localName, card: card ? card.dataset.id : undefined, onCard: active === card };
    });
  const tabFromPicker = async () => {
    await page.locator('#stream-picker').focus();
    await page.keyboard.press('Tab');
    const pause = await focus();
    if (pause.id !== 'pause') throw new Error(`Tab from the stream picker focused #${pause.id}, not Pause`);
    await page.keyboard.press('Tab');
    const entered = await focus();
    if (!entered.onCard) throw new Error(`Tab from Pause focused ${entered.card ? `a control in card ${entered.card}` : `#${entered.id}`}, not a card`);
    return entered.card;
  };
  const first = await tabFromPicker();
  let controls = 0;
  for (;;) {
    await page.keyboard.press('Tab');
    const now = await focus();
    if (now.card === undefined) break;
    if (now.card !== first || now.onCard) throw new Error(`Tab from card ${first} went on to ${now.onCard ? 'card' : 'a control in card'} ${now.card}`);
    if (++controls > 10) throw new Error(`Tab stayed in card ${first} for ${controls} presses`);
  }
  await tabFromPicker();
  await page.keyboard.press('PageDown');
  const next = await focus();
  if (!next.onCard || next.card === first) throw new Error(`Page Down from card ${first} focused ${next.card ? `card ${next.card}` : `#${next.id}`}`);
  const back = await tabFromPicker();
  if (back !== next.card) throw new Error(`Tab from the stream picker came back to card ${back}, not ${next.card} (focused last)`);
  await page.evaluate(() => document.activeElement.blur());
  return `picker, Pause, card ${first}, ${controls} of its controls, out; Page Down to card ${next.card}, and Tab from the picker back to it`;
}

/** After a catch-up and the removal of a deleted card: every position was right after every change, catch-up cards went in while the feed was busy, and it is not busy now. */
export async function checkFeedHistory(page) {
  const seen = await page.evaluate(() => globalThis.feedWatch);
  const busy = await page.locator('#cards').getAttribute('aria-busy');
  const problems = [];
  if (!seen) throw new Error('the feed watcher was not started');
  if (seen.misplaced.length > 0) problems.push(`positions wrong after a change: ${seen.misplaced.join('; ')}`);
  if (seen.tabStops.length > 0) problems.push(`not one tab stop after a change: ${seen.tabStops.join('; ')}`);
  if (seen.removed === 0) problems.push('no card was removed while watched');
  if (seen.catchUpAdded === 0) problems.push('no catch-up card went in while watched');
  if (seen.catchUpAddedIdle > 0) problems.push(`${seen.catchUpAddedIdle} of ${seen.catchUpAdded} catch-up cards went in while the feed was not aria-busy`);
  if (busy !== 'false') problems.push(`aria-busy="${busy}" once open`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `${seen.catchUpAdded} catch-up cards in ${seen.busySpans} busy spans, ${seen.removed} cards removed or replaced`;
}
