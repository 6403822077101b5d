// The column of status cards. Statuses arrive as Mastodon JSON; the HTML
// content is reduced to text (DOMParser, never innerHTML) so a hostile
// instance cannot inject markup into the page.

const MAX_CARDS = 100;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export function createCardColumn(container) {
  const cardsById = new Map();

  const trim = () => {
    while (container.children.length > MAX_CARDS) {
      const last = container.lastElementChild;
      cardsById.delete(last.dataset.id);
      last.remove();
    }
  };

  const prepend = (card) => {
    container.prepend(card);
    trim();
  };

  return {
    /** A new status (`update`), newest on top. */
    addStatus(status, source) {
      if (cardsById.has(status.id)) return;
      const card = statusCard(status, source);
      cardsById.set(status.id, card);
      prepend(card);
    },
    /** `status.update`: the edited status replaces the card's content in place. */
    applyEdit(status, source) {
      const old = cardsById.get(status.id);
      const card = statusCard(status, source);
      card.classList.add('edited');
      cardsById.set(status.id, card);
      if (old) old.replaceWith(card);
      else prepend(card);
    },
    /** `delete`: the card stays a moment, struck through, then goes. */
    applyDelete(id) {
      const card = cardsById.get(id);
      if (!card) return;
      card.classList.add('deleted');
      card.querySelector('.badges').append(badge('deleted'));
      setTimeout(() => {
        card.remove();
        cardsById.delete(id);
      }, 15_000);
    },
    addNotification(notification, source) {
      const card = element('article', 'card notification');
      card.dataset.source = source;
      const verb = { mention: 'mentioned you', favourite: 'favourited your post', reblog: 'boosted your post', follow: 'followed you' }[notification.type] ?? notification.type;
      card.append(header(notification.account, notification.created_at, source), element('p', 'text', `◆ ${verb}`));
      if (notification.status) card.append(element('p', 'quoted', htmlToText(notification.status.content)));
      prepend(card);
    },
    clear() {
      container.replaceChildren();
      cardsById.clear();
    },
  };
}

function statusCard(status, source) {
  const card = element('article', 'card status');
  card.dataset.id = status.id;
  card.dataset.source = source;
  const shown = status.reblog ?? status;
  card.append(header(shown.account, status.edited_at ?? status.created_at, source));
  if (status.reblog) card.append(element('p', 'boosted-by', `⇄ boosted by @${status.account.acct}`));
  if (shown.spoiler_text) card.append(element('p', 'spoiler', `CW: ${shown.spoiler_text}`));
  card.append(element('p', 'text', htmlToText(shown.content)));
  if (shown.media_attachments.length > 0) card.append(mediaStrip(shown.media_attachments));
  if (status.edited_at) card.querySelector('.badges').append(badge('edited'));
  return card;
}

function header(account, isoTime, source) {
  const row = element('header', 'card-header');
  const name = element('strong', 'display-name', account.display_name || account.username);
  const acct = element('span', 'acct', `@${account.acct}`);
  const time = element('time', 'time', timeFormat.format(new Date(isoTime)));
  time.dateTime = isoTime;
  const badges = element('span', 'badges');
  if (source === 'catchup') badges.append(badge('↺ caught up', 'catchup'));
  row.append(name, acct, badges, time);
  return row;
}

/** Thumbnails as links to the full media; a URL that is not http(s) (a hostile server's `javascript:`) is left out. */
function mediaStrip(attachments) {
  const strip = element('div', 'media');
  for (const attachment of attachments.slice(0, 4)) {
    const full = webUrl(attachment.url) ?? webUrl(attachment.remote_url);
    const preview = webUrl(attachment.preview_url) ?? full;
    if (full === undefined || preview === undefined) continue;
    const link = element('a', 'thumbnail');
    link.href = full;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    const image = element('img');
    image.src = preview;
    image.alt = attachment.description ?? '';
    image.loading = 'lazy';
    link.append(image);
    strip.append(link);
  }
  return strip;
}

/** `value` if it is an absolute http(s) URL, else undefined. */
function webUrl(value) {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}

function badge(text, kind = text) {
  return element('span', `badge badge-${kind}`, text);
}

function element(tag, className = '', text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const parser = new DOMParser();
function htmlToText(html) {
  const document = parser.parseFromString(html.replace(/<br\s*\/?>|<\/p>\s*<p[^>]*>/gi, ' '), 'text/html');
  return (document.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
