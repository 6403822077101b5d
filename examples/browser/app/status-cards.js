// The column of status cards. Statuses arrive as Mastodon JSON. Nothing from
// the server ever becomes markup: the status HTML is parsed by DOMParser (an
// inert document: no scripts run, nothing loads) and rebuilt from an
// allow-list, as paragraphs, line breaks and http(s) links holding plain text;
// names, content warnings and alt text are set as text or properties, never
// innerHTML, and custom emoji become images only within that text, from http(s)
// URLs. So a hostile instance cannot inject markup into the page.
//
// The column is a WAI-ARIA feed (index.html): each card an <article> named by its header, that knows its place; which
// card is the feed's one tab stop, and the feed pattern's keys, are feed-focus.js's.

import { emojiIndex, withEmoji } from './custom-emoji.js';
import { createFeedFocus } from './feed-focus.js';
import { renderContent, webUrl } from './status-html.js';

const MAX_CARDS = 100;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const FOCUSABLE = 'a[href], summary';

export function createCardColumn(container) {
  const cardsById = new Map();

  // In the feed pattern each article says where it is (aria-posinset of aria-setsize), and a card goes in on top, so
  // every insertion and removal renumbers the column (at most 100 cards); an attribute already right is not set again.
  const renumber = () => {
    const cards = container.children;
    for (let index = 0; index < cards.length; index++) {
      setAttribute(cards[index], 'aria-posinset', String(index + 1));
      setAttribute(cards[index], 'aria-setsize', String(cards.length));
    }
  };

  /** Removes `card`; focus inside it moves to the next card (or the previous one) instead of falling back to <body>. */
  const remove = (card) => {
    if (card.contains(document.activeElement)) {
      const neighbour = card.nextElementSibling ?? card.previousElementSibling;
      if (neighbour) neighbour.focus({ preventScroll: true });
    }
    card.remove();
  };

  const focus = createFeedFocus(container);

  const trim = () => {
    while (container.children.length > MAX_CARDS) {
      const last = container.lastElementChild;
      cardsById.delete(last.dataset.id);
      remove(last);
    }
  };

  const prepend = (card) => {
    container.prepend(card);
    trim();
    focus.added(card);
    renumber();
  };

  return {
    /** A new status (`update`), newest on top. */
    addStatus(status, source) {
      if (cardsById.has(status.id)) return;
      const card = statusCard(status, source);
      cardsById.set(status.id, card);
      prepend(card);
    },
    /** `status.update`: the edited status replaces the card's content in place, keeping open disclosures and focus. */
    applyEdit(status, source) {
      const old = cardsById.get(status.id);
      const card = statusCard(status, source);
      card.classList.add('edited');
      cardsById.set(status.id, card);
      if (old) {
        replace(old, card);
        focus.added(card, old);
        renumber();
      } else {
        prepend(card);
      }
    },
    /** `delete`: the card stays a moment, struck through, then goes. */
    applyDelete(id) {
      const card = cardsById.get(id);
      if (!card) return;
      card.classList.add('deleted');
      card.querySelector('.badges').append(badge('deleted'));
      setTimeout(() => {
        remove(card);
        cardsById.delete(id);
        focus.removed();
        renumber();
      }, 15_000);
    },
    addNotification(notification, source) {
      const card = element('article', 'card notification');
      card.dataset.source = source;
      const verb = { mention: 'mentioned you', favourite: 'favourited your post', reblog: 'boosted your post', follow: 'followed you' }[notification.type] ?? notification.type;
      const said = withIcon('p', 'text', '◆', verb);
      const top = header(notification.account, notification.created_at, source);
      card.append(top, said);
      feedArticle(card, top, said);
      if (notification.status) {
        const quoted = element('blockquote', 'quoted');
        quoted.append(...statusBody(notification.status));
        card.append(quoted);
      }
      prepend(card);
    },
    clear() {
      container.replaceChildren();
      cardsById.clear();
      focus.cleared();
    },
    /** Marks the feed busy while a batch (a catch-up) goes in, so a screen reader waits for it to settle. */
    setBusy(busy) {
      setAttribute(container, 'aria-busy', String(busy));
    },
  };
}

function statusCard(status, source) {
  const card = element('article', 'card status');
  card.dataset.id = status.id;
  card.dataset.source = source;
  const shown = status.reblog ?? status;
  const top = header(shown.account, status.edited_at ?? status.created_at, source);
  card.append(top);
  feedArticle(card, top);
  if (status.reblog) card.append(withIcon('p', 'boosted-by', '⇄', `boosted by @${status.account.acct}`));
  card.append(...statusBody(shown));
  if (status.edited_at) card.querySelector('.badges').append(badge('edited'));
  return card;
}

/**
 * The text and media of a status. A content warning (`spoiler_text`) hides both behind a disclosure, as Mastodon
 * does; sensitive media without one is hidden behind its own.
 */
function statusBody(status) {
  const language = languageTag(status.language);
  const text = element('div', 'text');
  const emojis = emojiIndex(status.emojis);
  text.append(renderContent(status.content ?? '', (data) => withEmoji(data, emojis)));
  if (language) text.lang = language;
  const strip = mediaStrip(status.media_attachments ?? []);
  const media = strip.childElementCount > 0 ? strip : undefined; // none left when every URL was unsafe
  if (status.spoiler_text) {
    const warning = element('span', 'cw-text');
    warning.append(...withEmoji(status.spoiler_text, emojis));
    if (language) warning.lang = language;
    const summary = element('summary');
    summary.append(element('span', 'cw-label', 'Content warning: '), warning);
    return [disclosure('spoiler', summary, text, media)];
  }
  if (media && status.sensitive) return [text, disclosure('sensitive', element('summary', '', 'Sensitive media'), media)];
  return media ? [text, media] : [text];
}

function disclosure(className, summary, ...content) {
  const details = element('details', className);
  details.append(summary, ...content.filter(Boolean));
  return details;
}

function header(account, isoTime, source) {
  const row = element('header', 'card-header');
  const name = element('strong', 'display-name');
  name.append(...withEmoji(account.display_name || account.username, emojiIndex(account.emojis)));
  const acct = element('span', 'acct', `@${account.acct}`);
  const time = element('time', 'time', timeFormat.format(new Date(isoTime)));
  time.dateTime = isoTime;
  const badges = element('span', 'badges');
  if (source === 'catchup') badges.append(badge('caught up', 'catchup', '↺'));
  row.append(name, acct, badges, time);
  return row;
}

/**
 * Thumbnails as links to the full media, each named by its alt text (the attachment's `description`), or by what it
 * is when it has none. A URL that is not http(s) (a hostile server's `javascript:`) is left out.
 */
function mediaStrip(attachments) {
  const strip = element('div', 'media');
  const shown = attachments.slice(0, 4);
  shown.forEach((attachment, index) => {
    const full = webUrl(attachment.url) ?? webUrl(attachment.remote_url);
    if (full === undefined) return;
    const preview = webUrl(attachment.preview_url) ?? (attachment.type === 'image' ? full : undefined);
    const kind = { image: 'Picture', gifv: 'Animated picture', video: 'Video', audio: 'Audio' }[attachment.type] ?? 'Attachment';
    const name = attachment.description?.trim() || `${kind} ${index + 1} of ${shown.length}, no description`;
    const link = element('a', 'thumbnail');
    link.href = full;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    if (preview) {
      const image = element('img');
      image.src = preview;
      image.alt = name;
      image.loading = 'lazy';
      link.append(image);
    } else {
      link.append(element('span', 'no-preview', name));
    }
    link.append(element('span', 'visually-hidden', ' (full size, opens in a new tab)'));
    strip.append(link);
  });
  return strip;
}

/** A BCP 47 tag for the `lang` attribute, or undefined (Mastodon sends ISO 639 codes, or null). */
function languageTag(value) {
  try {
    return typeof value === 'string' && value ? Intl.getCanonicalLocales(value)[0] : undefined;
  } catch {
    return undefined;
  }
}

function badge(text, kind = text, icon) {
  return icon ? withIcon('span', `badge badge-${kind}`, icon, text) : element('span', `badge badge-${kind}`, text);
}

/** `text` after a decorative symbol that screen readers skip (they would read "⇄" as "left right arrow"). */
function withIcon(tag, className, icon, text) {
  const node = element(tag, className);
  const symbol = element('span', 'icon', `${icon} `);
  symbol.setAttribute('aria-hidden', 'true');
  node.append(symbol, text);
  return node;
}

function element(tag, className = '', text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

let labelSerial = 0;
/** Makes `card` an article of the feed, named by `labels` (its author and time line first). */
function feedArticle(card, ...labels) {
  for (const label of labels) label.id ||= `card-label-${++labelSerial}`;
  card.setAttribute('aria-labelledby', labels.map((label) => label.id).join(' '));
}

function setAttribute(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** Replaces `old` with `card`: open disclosures stay open, and focus inside `old` goes to the same control in `card`. */
function replace(old, card) {
  const wasOpen = [...old.querySelectorAll('details')].map((details) => details.open);
  card.querySelectorAll('details').forEach((details, index) => (details.open = wasOpen[index] ?? false));
  const focusedIndex = [...old.querySelectorAll(FOCUSABLE)].indexOf(document.activeElement);
  const hadFocus = old.contains(document.activeElement);
  old.replaceWith(card);
  if (!hadFocus) return;
  const same = card.querySelectorAll(FOCUSABLE)[focusedIndex];
  (same ?? card).focus({ preventScroll: true });
}
