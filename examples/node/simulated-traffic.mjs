// Realistic traffic for a @tootstream/testkit server, so the demo and the
// dashboard have something to show without a real instance: statuses by local
// and remote authors in several languages (emoji, custom emoji, hashtags, media,
// content warnings, boosts), edits, deletes, notifications for alice (the owner
// of 'peer-test-token') and, every 20-30 s, a dropped connection so reconnect and
// catch-up can be seen. Statuses posted while the client is disconnected are
// exactly what its catch-up brings back.
import { KNOWN_ACCOUNTS, LOCAL_DOMAIN, buildAccount } from '@tootstream/testkit';

/** The viewer: the account behind 'peer-test-token'. */
export const VIEWER_ACCOUNT_ID = KNOWN_ACCOUNTS.alice.id;
export const VIEWER_TOKEN = 'peer-test-token';
// How a status names alice in its `mentions` (Mastodon's Mention entity), which is what gets her notified.
const VIEWER_MENTION = { id: KNOWN_ACCOUNTS.alice.id, username: KNOWN_ACCOUNTS.alice.username, acct: KNOWN_ACCOUNTS.alice.acct, url: String(KNOWN_ACCOUNTS.alice.url) };

// Who posts, and in which languages (each author only posts in theirs).
const AUTHORS = [
  { account: KNOWN_ACCOUNTS.alice, languages: ['en'] },
  { account: KNOWN_ACCOUNTS.bob, languages: ['en', 'de'] },
  { account: KNOWN_ACCOUNTS.carol, languages: ['fr', 'en'] },
  { account: buildAccount('2001', 'yuki@mstdn.jp', 'ゆき 🌸'), languages: ['ja'] },
  { account: buildAccount('2002', 'lena@chaos.social', 'Lena 🌻'), languages: ['de'] },
  { account: buildAccount('2003', 'mateo@mastodon.world', 'Mateo'), languages: ['es', 'pt'] },
  { account: buildAccount('2004', 'priya', 'Priya'), languages: ['en'] },
  { account: buildAccount('2005', 'oskar@fosstodon.org', 'Oskar :ferris:'), languages: ['en', 'fr'] },
];

// alice's list 42 (a testkit default) holds bob, carol and yuki.
const LIST_42_MEMBERS = new Set([KNOWN_ACCOUNTS.bob.id, KNOWN_ACCOUNTS.carol.id, '2001']);

const POSTS = [
  { language: 'en', text: 'Morning coffee and a fresh cargo build ☕', tags: ['rust'] },
  { language: 'de', text: 'Heute endlich den Garten umgegraben 🌱', tags: ['garten'] },
  { language: 'ja', text: '新しいカメラで桜を撮りました 🌸', tags: ['photography'], media: 2 },
  { language: 'es', text: '¿Alguien más probando Deno 2? 🦕', tags: ['deno'] },
  { language: 'fr', text: "Le fédivers, c'est chez nous 🐘", tags: ['fediverse'] },
  { language: 'en', text: 'Caturday! Meet Miso 🐈', tags: ['caturday'], media: 1 },
  { language: 'pt', text: 'Bom dia, fediverso! ☀️', tags: [] },
  { language: 'en', text: 'TIL Server-Sent Events reconnect with Last-Event-ID, but Mastodon never sends ids 🤔', tags: ['webdev'] },
  { language: 'de', text: 'Der Zug ist schon wieder zu spät 🚆', tags: [] },
  { language: 'en', text: 'Shipped a TypeScript SDK for the streaming API 🚀 for await all the things', tags: ['typescript', 'mastodon'] },
  { language: 'ja', text: 'ラーメン食べたい 🍜', tags: [] },
  { language: 'en', text: 'Sunset over the harbour 🌅', tags: ['photography'], media: 3 },
  { language: 'es', text: 'Nuevo post en el blog: cómo migrar de instancia sin perder seguidores 📦', tags: ['fediverse'] },
  { language: 'en', text: 'Spoilers for the finale below', tags: [], spoiler: 'TV finale spoilers 📺' },
  { language: 'fr', text: 'Qui vient au meetup Rust jeudi ? 🦀', tags: ['rust'] },
  { language: 'en', text: 'Reminder: alt text helps everyone ♿', tags: ['accessibility'] },
  { language: 'en', text: 'New crate is out, Ferris approves :ferris:', tags: ['rust'] },
  { language: 'de', text: 'Feierabend! Bis morgen :ablobcatwave:', tags: [] },
  { language: 'ja', text: 'うちの猫がかわいすぎる :blobcatheart:', tags: ['caturday'] },
  { language: 'fr', text: 'Merci pour tous les boosts :blobcatheart: :ablobcatwave:', tags: [] },
];

// The instance's custom emoji. Mastodon's habit names an animated one with an "a" prefix; its static_url is a
// still frame (the dashboard shows that under prefers-reduced-motion).
const CUSTOM_EMOJI = ['ablobcatwave', 'blobcatheart', 'ferris'];

// One round of actions, shuffled each time: roughly 2 posts per edit, delete or notification.
const ROUND = ['post', 'post', 'post', 'post', 'post', 'post', 'boost', 'edit', 'delete', 'notify', 'notify', 'post', 'direct'];
// Direct messages to alice: a few threads, each a conversation on her `direct` stream.
const DIRECT_MESSAGES = ['are you coming to the meetup? 🦀', 'sent you the slides 📎', 'lunch tomorrow? 🍜', 'thanks for the boost 🙏'];
const NOTIFICATION_TYPES = ['mention', 'favourite', 'reblog', 'follow'];

/**
 * Starts posting to `server` until `stop()`.
 *
 * @param {import('@tootstream/testkit').FakeMastodon} server
 * @param {{ eventsPerSecond?: number, dropEveryMs?: [number, number] | number | false (false: never),
 *           mediaBaseUrl?: string, random?: () => number, onDrop?: (kind: string) => void }} [options]
 *   `mediaBaseUrl` makes media point at `${mediaBaseUrl}/<n>.svg` and custom emoji at
 *   `${mediaBaseUrl}/emoji/<shortcode>[.static].svg` (served by the dashboard) instead of the testkit's
 *   unreachable peer.example URLs.
 */
export function startSimulatedTraffic(server, options = {}) {
  const { eventsPerSecond = 1.2, dropEveryMs = [20_000, 30_000], mediaBaseUrl, random = Math.random, onDrop } = options;
  const pick = (items) => items[Math.floor(random() * items.length)];
  const emojisIn = (text) => customEmojisIn(text, mediaBaseUrl);
  const authors = AUTHORS.map((author) => ({ ...author, account: { ...author.account, emojis: emojisIn(author.account.display_name) } }));
  const liveStatuses = new Map();
  const aliceStatuses = [];
  /** Sender id → its newest direct message to alice, which the next one answers. */
  const directThreads = new Map();
  let round = [];
  let drops = 0;
  let actionTimer;
  let dropTimer;
  let stopped = false;

  const post = (author = pick(authors)) => {
    const account = author.account;
    const template = pick(POSTS.filter((candidate) => author.languages.includes(candidate.language)));
    const media = template.media ?? 0;
    const partial = { content: statusHtml(template.text, template.tags), language: template.language, emojis: emojisIn(template.text) };
    if (template.spoiler) Object.assign(partial, { spoiler_text: template.spoiler, sensitive: true });
    if (media > 0 && mediaBaseUrl) partial.media_attachments = mediaAttachments(mediaBaseUrl, media, random);
    const inListIds = LIST_42_MEMBERS.has(account.id) ? ['42'] : [];
    const status = server.postStatus(partial, { account, tags: template.tags, media: mediaBaseUrl ? 0 : media, inListIds });
    // Only recent statuses get edited or deleted, as in real life.
    liveStatuses.set(status.id, { content: partial.content, edited: false });
    if (liveStatuses.size > 20) liveStatuses.delete(liveStatuses.keys().next().value);
    if (account.id === VIEWER_ACCOUNT_ID && aliceStatuses.push(status) > 10) aliceStatuses.shift();
    return status;
  };

  const boost = () => {
    // The original is by someone alice does not follow (homeOf: []), so her home shows only the boost.
    const author = pick(authors);
    const template = pick(POSTS.filter((candidate) => author.languages.includes(candidate.language)));
    const original = server.postStatus(
      { content: statusHtml(template.text, template.tags), language: template.language, emojis: emojisIn(template.text) },
      { account: author.account, tags: template.tags, homeOf: [] },
    );
    server.postStatus({ content: '', reblog: original, language: null }, { account: pick(authors).account });
  };

  const edit = () => {
    const [id, status] = pick([...liveStatuses].filter(([, candidate]) => !candidate.edited)) ?? [];
    if (id === undefined) return post();
    // Mastodon sends the whole edited status again; here the edit appends a note to the text.
    status.edited = true;
    status.content = status.content.replace(/<\/p>$/, ' (edit: typo fixed ✍️)</p>');
    server.editStatus(id, { content: status.content });
  };

  const remove = () => {
    const id = pick([...liveStatuses.keys()]);
    if (id === undefined) return post();
    liveStatuses.delete(id);
    server.deleteStatus(id);
  };

  const notify = () => {
    const type = pick(NOTIFICATION_TYPES);
    const fromAccount = pick(authors.filter((author) => author.account.id !== VIEWER_ACCOUNT_ID)).account;
    const ownStatus = aliceStatuses.at(-1 - Math.floor(random() * Math.min(aliceStatuses.length, 5)));
    if ((type === 'favourite' || type === 'reblog') && ownStatus === undefined) return post(authors[0]);
    server.notify(VIEWER_ACCOUNT_ID, { type, fromAccount, ...(type === 'favourite' || type === 'reblog' ? { status: ownStatus } : {}) });
  };

  const direct = () => {
    const author = pick(authors.filter((candidate) => candidate.account.id !== VIEWER_ACCOUNT_ID));
    // Each sender keeps one thread going (every message answers its previous one), so alice has one conversation
    // per sender: the fake, as Mastodon, makes it from the post (and notifies her of the mention).
    const previous = directThreads.get(author.account.id);
    const status = server.postStatus(
      {
        content: statusHtml(`@alice ${pick(DIRECT_MESSAGES)}`, []),
        language: 'en',
        mentions: [VIEWER_MENTION],
        ...(previous === undefined ? {} : { in_reply_to_id: previous, in_reply_to_account_id: author.account.id }),
      },
      { account: author.account, visibility: 'direct', homeOf: [VIEWER_ACCOUNT_ID] },
    );
    directThreads.set(author.account.id, status.id);
  };

  const actions = { post: () => post(), boost, edit, delete: remove, notify, direct };

  const scheduleNextAction = () => {
    if (stopped) return;
    // Exponential gaps give the bursty feel of a real timeline.
    const delayMs = Math.min(8_000, (-Math.log(1 - random()) * 1000) / eventsPerSecond);
    actionTimer = setTimeout(() => {
      if (round.length === 0) round = shuffle([...ROUND], random);
      actions[round.pop()]();
      scheduleNextAction();
    }, delayMs);
  };

  /** Drops every stream now, then posts a burst the client can only get back by catching up. */
  const dropNow = async () => {
    drops++;
    // Alternate a cut socket (reconnects at once) with a short outage (connects are refused for a while).
    const kind = drops % 2 === 1 ? 'cut' : 'outage';
    onDrop?.(kind);
    const outage = kind === 'outage' ? server.restart({ downMs: 2_500 }) : server.dropConnections(undefined, { midFrame: true });
    const burst = 2 + Math.floor(random() * 3);
    for (let index = 0; index < burst; index++) post();
    if (aliceStatuses.length > 0 || random() < 0.5) notify();
    await outage;
  };

  const scheduleNextDrop = () => {
    if (stopped || dropEveryMs === false) return;
    const [min, max] = Array.isArray(dropEveryMs) ? dropEveryMs : [dropEveryMs, dropEveryMs];
    dropTimer = setTimeout(() => {
      void dropNow().catch(() => {}).then(scheduleNextDrop);
    }, min + random() * (max - min));
  };

  scheduleNextAction();
  scheduleNextDrop();
  return {
    dropNow,
    stop() {
      stopped = true;
      clearTimeout(actionTimer);
      clearTimeout(dropTimer);
    },
  };
}

/** Status HTML as Mastodon renders it: a paragraph with hashtag links. */
function statusHtml(text, tags) {
  const links = tags.map((tag) => ` <a href="https://peer.example/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
  return `<p>${escapeHtml(text)}${links.join('')}</p>`;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The CustomEmoji entities `text` uses (a Mastodon 4.5 status or account lists only those): with `baseUrl`, the
 * pictures the dashboard serves; else URLs on the fake instance's media, shaped as Mastodon's are.
 */
function customEmojisIn(text, baseUrl) {
  return CUSTOM_EMOJI.filter((shortcode) => text.includes(`:${shortcode}:`)).map((shortcode) => {
    const file = `https://${LOCAL_DOMAIN}/system/custom_emojis/images/000/000/00${CUSTOM_EMOJI.indexOf(shortcode) + 1}`;
    return baseUrl
      ? { shortcode, url: `${baseUrl}/emoji/${shortcode}.svg`, static_url: `${baseUrl}/emoji/${shortcode}.static.svg`, visible_in_picker: true }
      : { shortcode, url: `${file}/original/${shortcode}.png`, static_url: `${file}/static/${shortcode}.png`, visible_in_picker: true };
  });
}

let mediaSequence = 0;
function mediaAttachments(baseUrl, count, random) {
  return Array.from({ length: count }, () => {
    const picture = Math.floor(random() * 8);
    mediaSequence++;
    return {
      id: String(900_000 + mediaSequence),
      type: 'image',
      url: `${baseUrl}/${picture}.svg`,
      preview_url: `${baseUrl}/${picture}.svg`,
      remote_url: null,
      preview_remote_url: null,
      text_url: null,
      meta: { original: { width: 640, height: 480, aspect: 4 / 3 }, small: { width: 160, height: 120, aspect: 4 / 3 } },
      description: `Simulated picture ${picture + 1}`,
      blurhash: null,
    };
  });
}

function shuffle(items, random) {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
  return items;
}
