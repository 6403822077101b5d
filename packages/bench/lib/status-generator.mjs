// Seeded generator of realistic Mastodon Status JSON (2–5 KB each) for the
// bench server. Every status is produced as a template whose id occurrences
// are cut out, so the server can stamp a fresh, unique id into a pooled
// status per event without re-serialising (dedupe and catch-up need unique,
// increasing ids; realism needs varied payloads).

const ID_MARK = '__STATUS_ID__';
/** The payload set every process of a run derives on its own: same seed, same statuses. */
export const PAYLOAD_SEED = 20_260_101;
export const PAYLOAD_TEMPLATE_COUNT = 1024;
export const MIN_STATUS_BYTES = 2048;
export const MAX_STATUS_BYTES = 5120;

/** mulberry32: tiny, fast, good enough to make the payload mix reproducible. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const chance = (probability) => next() < probability;
  return { next, int, pick, chance };
}

/** Mastodon ids are decimal strings beyond 2^53; fixed width keeps string order = numeric order. */
export function statusIdOf(sequence) {
  return `11${String(sequence).padStart(16, '0')}`;
}

export function sequenceOf(statusId) {
  return Number(statusId.slice(2));
}

const DOMAINS = ['mastodon.social', 'fosstodon.org', 'chaos.social', 'mstdn.jp', 'hachyderm.io', 'social.vivaldi.net', 'mas.to', 'infosec.exchange', 'norden.social', 'ruby.social'];
// Words per language. Most English posts are plain ASCII, the rest carry
// accents, CJK or emoji, which is what makes real payloads two-byte strings in
// V8 (slower to decode and parse) about half of the time.
const WORDS_BY_LANGUAGE = {
  en: ['the', 'stream', 'federation', 'timeline', 'coffee', 'release', 'weekend', 'garden', 'compiler', 'photo', 'train', 'rain', 'kernel', 'bicycle', 'Fediverse', 'and', 'with', 'about', 'today', 'finally', 'shipped', 'broken', 'again', 'because', 'honestly', 'tiny', 'huge', 'server', 'morning'],
  de: ['Übersetzung', 'Grüße', 'Straße', 'heute', 'endlich', 'Kaffee', 'Zug', 'Fahrrad', 'schön', 'müde', 'und', 'mit', 'für', 'wieder', 'Wochenende'],
  fr: ['café', 'naïve', 'façade', 'été', 'très', 'bientôt', 'réseau', 'fête', 'et', 'avec', 'déjà', 'aujourd’hui'],
  es: ['ñandú', 'mañana', 'canción', 'también', 'café', 'año', 'y', 'con', 'qué', 'niño'],
  ja: ['こんにちは', '今日は', 'いい天気', 'ありがとう', '東京', '猫', 'コーヒー', '電車', '週末', 'リリース'],
};
const EMOJI = ['🐘', '✨', '🎉', '☕', '🌧️', '🚲', '👩‍💻', '🏳️‍🌈', '🇩🇪', '🦀', '🐍', '❤️', '🔥', '😂', '🤔', '👍🏽'];
const TAGS = ['rust', 'typescript', 'photography', 'caturday', 'mastodon', 'fediverse', 'opensource', 'linux', 'gardening', 'cycling', 'art', 'music'];
const EMOJI_CODES = ['blobcat', 'blobfox', 'ablobcatrave', 'mastodon', 'verified', 'rainbowflag', 'party_parrot'];
const APPS = [null, { name: 'Web', website: null }, { name: 'Ivory for iOS', website: 'https://tapbots.com/ivory' }, { name: 'Tusky', website: 'https://tusky.app' }, { name: 'Elk', website: 'https://elk.zone' }];
// Weighted like a large general-purpose instance's federated timeline.
const LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'en', 'en', 'en', 'en', 'de', 'de', 'de', 'ja', 'ja', 'fr', 'es', null];

/** `words` words in `language`; `emojiRate` of them are emoji. */
function sentence(random, words, language = 'en', emojiRate = 0) {
  const pool = WORDS_BY_LANGUAGE[language] ?? WORDS_BY_LANGUAGE.en;
  const parts = [];
  for (let index = 0; index < words; index++) parts.push(emojiRate > 0 && random.chance(emojiRate) ? random.pick(EMOJI) : random.pick(pool));
  return parts.join(' ');
}

function isoAt(random, year) {
  const ms = Date.UTC(year, random.int(0, 11), random.int(1, 28), random.int(0, 23), random.int(0, 59), random.int(0, 59), random.int(0, 999));
  return new Date(ms).toISOString();
}

function customEmoji(random, domain) {
  const shortcode = random.pick(EMOJI_CODES);
  const url = `https://files.${domain}/custom_emojis/images/000/${random.int(100, 999)}/${random.int(100, 999)}/original/${shortcode}.png`;
  return { shortcode, url, static_url: url.replace('/original/', '/static/'), visible_in_picker: true, category: random.chance(0.5) ? 'blobs' : null };
}

function createAccount(random, index) {
  const domain = random.pick(DOMAINS);
  const username = `${random.pick(['alice', 'bob', 'chidi', 'dara', 'eun', 'farah', 'goro', 'hana', 'ivo', 'jun'])}${index}`;
  const remote = random.chance(0.7);
  const id = String(109_000_000_000_000_000n + BigInt(index * 7919));
  const media = `https://files.${domain}/accounts`;
  const language = random.pick(LANGUAGES) ?? 'en';
  return {
    id,
    username,
    acct: remote ? `${username}@${domain}` : username,
    display_name: `${sentence(random, random.int(1, 3), language, 0.1)}${random.chance(0.3) ? ` :${random.pick(EMOJI_CODES)}:` : ''}`,
    locked: random.chance(0.1),
    bot: random.chance(0.05),
    discoverable: random.chance(0.8),
    indexable: random.chance(0.6),
    group: false,
    created_at: `${isoAt(random, 2017 + random.int(0, 8)).slice(0, 10)}T00:00:00.000Z`,
    note: `<p>${sentence(random, random.int(4, 16), language, 0.05)}</p><p><a href="https://${domain}/tags/${random.pick(TAGS)}" class="mention hashtag" rel="tag">#<span>${random.pick(TAGS)}</span></a></p>`,
    url: `https://${domain}/@${username}`,
    uri: `https://${domain}/users/${username}`,
    avatar: `${media}/avatars/000/${index}/original/avatar.png`,
    avatar_static: `${media}/avatars/000/${index}/original/avatar.png`,
    header: `${media}/headers/000/${index}/original/header.jpg`,
    header_static: `${media}/headers/000/${index}/original/header.jpg`,
    followers_count: random.int(0, 50_000),
    following_count: random.int(0, 3_000),
    statuses_count: random.int(1, 90_000),
    last_status_at: isoAt(random, 2026).slice(0, 10),
    hide_collections: random.chance(0.2) ? true : null,
    noindex: random.chance(0.3),
    emojis: random.chance(0.5) ? [customEmoji(random, domain)] : [],
    roles: random.chance(0.1) ? [{ id: '3', name: 'Admin', color: '#ff3838' }] : [],
    fields: Array.from({ length: random.pick([0, 0, 1, 2]) }, () => ({
      name: random.pick(['Website', 'Pronouns', 'Location', 'GitHub']),
      value: `<a href="https://example.${random.pick(['org', 'net', 'dev'])}/${username}" target="_blank" rel="nofollow noopener me" translate="no"><span class="invisible">https://</span><span class="">example.org/${username}</span><span class="invisible"></span></a>`,
      verified_at: random.chance(0.4) ? isoAt(random, 2025) : null,
    })),
  };
}

function mediaAttachment(random, domain, seed, language, emojiRate) {
  const type = random.pick(['image', 'image', 'image', 'gifv', 'video']);
  const width = random.int(400, 4032);
  const height = random.int(300, 3024);
  const base = `https://files.${domain}/media_attachments/files/${seed}`;
  return {
    id: String(112_000_000_000_000_000n + BigInt(seed)),
    type,
    url: `${base}/original/${random.int(1e5, 9e5)}.${type === 'image' ? 'jpeg' : 'mp4'}`,
    preview_url: `${base}/small/${random.int(1e5, 9e5)}.jpeg`,
    remote_url: random.chance(0.6) ? `https://${random.pick(DOMAINS)}/system/media/${seed}.jpeg` : null,
    preview_remote_url: null,
    text_url: null,
    meta: {
      original: { width, height, size: `${width}x${height}`, aspect: width / height },
      small: { width: 640, height: Math.round((640 * height) / width), size: `640x${Math.round((640 * height) / width)}`, aspect: width / height },
      focus: { x: Number((random.next() * 2 - 1).toFixed(2)), y: Number((random.next() * 2 - 1).toFixed(2)) },
    },
    description: random.chance(0.7) ? sentence(random, random.int(5, 25), language, emojiRate) : null,
    blurhash: `U${Array.from({ length: 27 }, () => random.pick('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~'.split(''))).join('')}`,
  };
}

function statusContent(random, domain, mentions, tags, language, emojiRate) {
  const paragraphs = [];
  const mentionHtml = mentions.map((mention) => `<span class="h-card" translate="no"><a href="${mention.url}" class="u-url mention">@<span>${mention.username}</span></a></span>`).join(' ');
  for (let index = random.int(1, 3); index > 0; index--) paragraphs.push(sentence(random, random.int(4, 24), language, emojiRate));
  if (random.chance(0.4)) {
    const path = `${random.pick(['blog', 'news', 'docs'])}/${random.int(1, 9999)}-${random.pick(WORDS_BY_LANGUAGE.en)}`;
    paragraphs.push(`<a href="https://${domain}/${path}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="ellipsis">${domain}/${path.slice(0, 20)}</span><span class="invisible">${path.slice(20)}</span></a>`);
  }
  const tagHtml = tags.map((tag) => `<a href="https://${domain}/tags/${tag.name}" class="mention hashtag" rel="tag">#<span>${tag.name}</span></a>`).join(' ');
  return `<p>${mentionHtml} ${paragraphs.join('</p><p>')}${random.chance(0.3) ? '<br />' + sentence(random, 4, language, emojiRate) : ''}</p>${tagHtml ? `<p>${tagHtml}</p>` : ''}`;
}

function createStatus(random, accounts, serial, { allowReblog }) {
  const account = random.pick(accounts);
  const domain = account.acct.includes('@') ? account.acct.split('@')[1] : 'mastodon.social';
  const mentions = Array.from({ length: random.pick([0, 0, 1, 1, 2, 3]) }, () => {
    const other = random.pick(accounts);
    return { id: other.id, username: other.username, url: other.url, acct: other.acct };
  });
  const tags = Array.from({ length: random.pick([0, 1, 2, 4]) }, () => {
    const name = random.pick(TAGS);
    return { name, url: `https://${domain}/tags/${name}` };
  });
  const language = random.pick(LANGUAGES);
  const words = language ?? 'en';
  const emojiRate = random.chance(0.3) ? 0.08 : 0;
  const reblog = allowReblog && random.chance(0.08) ? createStatus(random, accounts, serial + 1_000_000, { allowReblog: false }) : null;
  const hasPoll = !reblog && random.chance(0.05);
  const hasCard = !reblog && random.chance(0.15);
  return {
    id: ID_MARK,
    created_at: isoAt(random, 2026),
    in_reply_to_id: random.chance(0.2) ? statusIdOf(random.int(1, 1e6)) : null,
    in_reply_to_account_id: random.chance(0.2) ? random.pick(accounts).id : null,
    sensitive: random.chance(0.1),
    spoiler_text: random.chance(0.1) ? sentence(random, 3, words) : '',
    visibility: random.pick(['public', 'public', 'public', 'unlisted']),
    language,
    uri: `https://${domain}/users/${account.username}/statuses/${reblog ? serial : ID_MARK}`,
    url: `https://${domain}/@${account.username}/${reblog ? serial : ID_MARK}`,
    replies_count: random.int(0, 40),
    reblogs_count: random.int(0, 400),
    favourites_count: random.int(0, 2000),
    quotes_count: random.int(0, 5),
    edited_at: random.chance(0.05) ? isoAt(random, 2026) : null,
    content: reblog ? '' : statusContent(random, domain, mentions, tags, words, emojiRate),
    reblog,
    ...(APPS[serial % APPS.length] ? { application: APPS[serial % APPS.length] } : {}),
    account,
    media_attachments: reblog ? [] : Array.from({ length: random.pick([0, 0, 0, 0, 0, 1, 1, 2, 3]) }, (_, index) => mediaAttachment(random, domain, serial * 8 + index, words, emojiRate)),
    mentions: reblog ? [] : mentions,
    tags: reblog ? [] : tags,
    emojis: random.chance(0.3) ? [customEmoji(random, domain)] : [],
    quote: null,
    quote_approval: { automatic: ['public'], manual: [], current_user: 'automatic' },
    card: hasCard
      ? { url: `https://${domain}/article/${serial}`, title: sentence(random, 6, words), description: sentence(random, 20, words), language: words, type: 'link', author_name: '', author_url: '', provider_name: domain, provider_url: '', html: '', width: 400, height: 210, image: `https://files.${domain}/cache/preview_cards/images/${serial}.jpg`, image_description: '', embed_url: '', blurhash: 'UBF~,g~q9F%M00Rjxuxu', published_at: null, authors: [] }
      : null,
    poll: hasPoll
      ? { id: String(serial), expires_at: isoAt(random, 2026), expired: false, multiple: random.chance(0.3), votes_count: 12, voters_count: 10, options: [{ title: 'yes ✅', votes_count: 7 }, { title: 'no ❌', votes_count: 5 }], emojis: [] }
      : null,
    // Added last by the streaming server on public streams (protocol.md §8).
    filtered: [],
  };
}

/**
 * `count` status templates from `seed`, each 2–5 KB once its id is stamped in.
 * A template is the finished SSE data line (`data: {…}\n\n`) as bytes, with
 * the byte offsets where the id goes: ids have a fixed width, so an event is
 * a copy plus three tiny writes instead of building and encoding ~4 KB of
 * text, which keeps the server several times cheaper per event than the
 * cheapest client.
 */
export function generateStatusTemplates(seed, count) {
  const random = createRandom(seed);
  const accounts = Array.from({ length: 200 }, (_, index) => createAccount(random, index + 1));
  const templates = [];
  const placeholderId = statusIdOf(0);
  for (let serial = 1; templates.length < count; serial++) {
    const parts = JSON.stringify(createStatus(random, accounts, serial, { allowReblog: true })).split(ID_MARK);
    const json = Buffer.from(parts.join(placeholderId));
    if (json.length < MIN_STATUS_BYTES || json.length > MAX_STATUS_BYTES) continue;
    const idOffsets = [];
    let offset = 0;
    for (const part of parts.slice(0, -1)) {
      offset += Buffer.byteLength(part);
      idOffsets.push(offset);
      offset += placeholderId.length;
    }
    templates.push({ json, idOffsets, dataLine: Buffer.concat([DATA_PREFIX, json, EVENT_END]) });
  }
  return templates;
}

const DATA_PREFIX = Buffer.from('data: ');
const EVENT_END = Buffer.from('\n\n');

/** Writes `statusId` into `bytes` (a copy of the template's JSON) at `offset` + each id position. */
export function stampStatusId(template, bytes, offset, statusId) {
  for (const idOffset of template.idOffsets) bytes.latin1Write(statusId, offset + idOffset);
  return bytes;
}

/**
 * A fresh copy of the template's `data:` line with `statusId` stamped in. A
 * copy, because a written buffer may wait in a paused connection's queue
 * while another connection stamps the same template.
 */
export function stampDataLine(template, statusId) {
  return stampStatusId(template, Buffer.from(template.dataLine), DATA_PREFIX.length, statusId);
}

/** A fresh copy of the template's JSON with `statusId`, for REST pages that hold many at once. */
export function statusJson(template, statusId) {
  return stampStatusId(template, Buffer.from(template.json), 0, statusId);
}
