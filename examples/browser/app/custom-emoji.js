// Custom emoji: a status or an account lists those its text uses (`emojis`: shortcode, url, static_url), and the
// text carries each as :shortcode:. Only text goes through here (renderContent's text nodes, display names, content
// warnings), so a shortcode in an attribute or in markup is never touched, and the image is made as an element
// with its URL set as a property: an emoji cannot inject markup. One whose URLs are not both http(s) (a hostile
// server's javascript: or data:) stays text.
import { webUrl } from './status-html.js';

// Mastodon's shortcodes are letters, digits and underscores, at least two (CustomEmoji::SHORTCODE_RE_FRAGMENT).
// The closing colon is looked ahead, not taken, so in ":unknown:known:" the second colon can open ":known:".
const SHORTCODE = /:([a-zA-Z0-9_]{2,})(?=:)/g;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const urlsOf = new WeakMap(); // each emoji <img> → { url, still }

/** The usable emoji of an entity's `emojis`, by shortcode. */
export function emojiIndex(emojis) {
  const index = new Map();
  for (const emoji of Array.isArray(emojis) ? emojis : []) {
    const url = webUrl(emoji?.url);
    const still = webUrl(emoji?.static_url);
    if (typeof emoji?.shortcode === 'string' && url && still) index.set(emoji.shortcode, { url, still });
  }
  return index;
}

/** `text` as strings and emoji images, for `append()`. */
export function withEmoji(text, index) {
  if (index.size === 0 || !text.includes(':')) return [text];
  const parts = [];
  let from = 0;
  for (const match of text.matchAll(SHORTCODE)) {
    const emoji = index.get(match[1]);
    if (!emoji || match.index < from) continue;
    parts.push(text.slice(from, match.index), emojiImage(`:${match[1]}:`, emoji));
    from = match.index + match[0].length + 1;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part !== '');
}

function emojiImage(name, urls) {
  const image = document.createElement('img');
  image.className = 'custom-emoji';
  image.alt = name;
  image.title = name;
  image.loading = 'lazy';
  image.src = reducedMotion.matches ? urls.still : urls.url;
  urlsOf.set(image, urls);
  return image;
}

// An animated emoji stops (its still static_url) as soon as the reader asks for less motion, on cards shown already too.
reducedMotion.addEventListener('change', () => {
  for (const image of document.querySelectorAll('img.custom-emoji')) {
    const urls = urlsOf.get(image);
    if (urls) image.src = reducedMotion.matches ? urls.still : urls.url;
  }
});
