// The dashboard's custom emoji, for scripts/test-steps/70-browser-chromium.mjs. serve.mjs's POST
// /__test/custom-emoji posts a status listing :ablobcatwave: (served by serve.mjs, with a still
// static_url), used in its text, in a link's text and href and in the author's display name, beside
// :evil: (javascript: URL), :inlined: (data: URL) and :unlisted: (not in `emojis`); with ?spoiler, a status
// whose content warning has :ablobcatwave:. Each check throws what it found wrong, or returns a detail for the log.

/** Posts that status (`query` '?spoiler': the one with a content warning) and waits for its card; returns its id. */
export async function postEmojiStatus(page, dashboardUrl, query = '') {
  const response = await fetch(new URL(`/__test/custom-emoji${query}`, dashboardUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`/__test/custom-emoji answered ${response.status}`);
  const id = await response.text();
  await page.locator(`.card.status[data-id="${id}"]`).waitFor({ timeout: 10_000 });
  return id;
}

/** The listed emoji are inline images named :shortcode:, in text only; the others stay text. */
export async function checkCustomEmoji(page, id) {
  // Lazy images: the new card is on top, in view, so they load at once.
  await page
    .waitForFunction((cardId) => [...document.querySelectorAll(`.card[data-id="${cardId}"] img`)].every((image) => image.complete), id, { timeout: 5_000 })
    .catch(() => {});
  const seen = await page.locator(`.card.status[data-id="${id}"]`).evaluate((card) => ({
    images: [...card.querySelectorAll('img')].map((image) => ({
      where: image.closest('.display-name') ? 'name' : image.closest('a') ? 'link' : 'text',
      className: image.className,
      alt: image.alt,
      title: image.title,
      loading: image.getAttribute('loading'),
      src: image.getAttribute('src'),
      loaded: image.naturalWidth > 0,
      height: image.getBoundingClientRect().height,
      fontSize: parseFloat(getComputedStyle(image.parentElement).fontSize),
    })),
    text: card.querySelector('.text')?.textContent ?? '',
    href: card.querySelector('.text a')?.getAttribute('href'),
  }));
  const problems = [];
  const places = seen.images.map((image) => image.where).sort().join(', ');
  if (places !== 'link, name, text') problems.push(`images in [${places}], wanted one each in the name, the text and the link's text`);
  for (const image of seen.images) {
    if (image.className !== 'custom-emoji') problems.push(`an image of class "${image.className}"`);
    if (image.alt !== ':ablobcatwave:' || image.title !== ':ablobcatwave:') problems.push(`alt "${image.alt}", title "${image.title}"`);
    if (image.loading !== 'lazy') problems.push(`loading="${image.loading}"`);
    if (!/^http:\/\/127\.0\.0\.1:\d+\/media\/emoji\/ablobcatwave\.svg$/.test(image.src ?? '')) problems.push(`src ${image.src} (wanted the animated url)`);
    if (!image.loaded) problems.push(`${image.src} did not load`);
    if (image.height > image.fontSize * 1.5) problems.push(`${image.height} px high in ${image.fontSize} px text`);
  }
  for (const shortcode of [':evil:', ':inlined:', ':unlisted:']) if (!seen.text.includes(shortcode)) problems.push(`${shortcode} is not left as text`);
  if (seen.href !== 'https://peer.example/tags/:ablobcatwave:') problems.push(`the link's href became ${seen.href}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return `card ${id}: ${seen.images.length} images, ${Math.round(seen.images[0].height)} px high`;
}

/** A content warning's :ablobcatwave: is an inline image in the (closed) disclosure's summary, which shows it. */
export async function checkSpoilerEmoji(page, dashboardUrl) {
  const id = await postEmojiStatus(page, dashboardUrl, '?spoiler');
  const image = page.locator(`.card.status[data-id="${id}"] details.spoiler > summary .cw-text img.custom-emoji`);
  const count = await image.count();
  if (count !== 1) throw new Error(`card ${id}: ${count} emoji images in its content warning, wanted 1`);
  await image.evaluate((node) => node.complete || new Promise((resolve) => node.addEventListener('load', resolve, { once: true }))).catch(() => {});
  const seen = await image.evaluate((node) => ({ alt: node.alt, title: node.title, loaded: node.naturalWidth > 0, open: node.closest('details').open }));
  const warning = await page.locator(`.card.status[data-id="${id}"] .cw-text`).textContent();
  const problems = [];
  if (seen.alt !== ':ablobcatwave:' || seen.title !== ':ablobcatwave:') problems.push(`alt "${seen.alt}", title "${seen.title}"`);
  if (!seen.loaded) problems.push('the image did not load');
  if (seen.open) problems.push('the disclosure is open');
  if (warning?.includes(':ablobcatwave:')) problems.push(`the shortcode is still text: "${warning}"`);
  if (problems.length > 0) throw new Error(`card ${id}: ${problems.join('; ')}`);
  return `card ${id}`;
}

/** Under prefers-reduced-motion, emoji show their static_url: on the card shown already, and on a new one. */
export async function checkReducedMotionEmoji(page, dashboardUrl, shownId) {
  const stillIn = (cardId) =>
    page.waitForFunction(
      (id) => {
        const images = [...document.querySelectorAll(`.card[data-id="${id}"] img.custom-emoji`)];
        return images.length > 0 && images.every((image) => image.getAttribute('src').endsWith('/media/emoji/ablobcatwave.static.svg'));
      },
      cardId,
      { timeout: 3_000 },
    );
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await stillIn(shownId).catch(() => {
      throw new Error('the card shown already kept its animated url');
    });
    const id = await postEmojiStatus(page, dashboardUrl);
    await stillIn(id).catch(() => {
      throw new Error('a new card shows the animated url');
    });
    return `card ${shownId} switched, card ${id} new`;
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
}
