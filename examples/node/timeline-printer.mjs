// Renders stream events and stream life (reconnects, catch-up) as one
// terminal line each. Pure formatting: the caller decides where lines go.
//
//   14:02:11   • @yuki@mstdn.jp          新しいカメラで桜を撮りました 🌸 #photography [2 media]
//   14:02:13   ✎ @bob                    Heute endlich den Garten umgegraben 🌱 (typo fixed)
//   14:02:15   ✗ @lena@chaos.social      deleted: Der Zug ist schon wieder zu spät 🚆
//   14:02:18 ⟳ reconnecting in 0.7s (attempt 1: Network error while reading the stream: terminated)
//   14:02:19 ↺ caught up 3 statuses
//   14:02:16 ↺ • @mateo@mastodon.world   ¿Alguien más probando Deno 2? 🦕 #deno

const AUTHOR_WIDTH = 24;
const REMEMBERED_STATUSES = 500;
const ANSI = { dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 };

const NOTIFICATION_VERBS = {
  mention: 'mentioned you',
  favourite: 'favourited your post',
  reblog: 'boosted your post',
  follow: 'followed you',
  follow_request: 'asked to follow you',
  poll: 'a poll you voted in ended',
  status: 'posted',
  update: 'edited a post you interacted with',
  quote: 'quoted your post',
};

/**
 * @param {{ write: (line: string) => void, color?: boolean, width?: number, now?: () => number, stream?: string }} options
 */
export function createTimelinePrinter({ write, color = false, width = 100, now = Date.now, stream }) {
  const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  // A delete carries only an id; remembering recent statuses lets us say what went.
  const recentStatuses = new Map();
  const catchUpCounts = { statuses: 0, notifications: 0, conversations: 0 };
  let previousState = 'idle';
  let opened = false;
  const counts = { events: 0, catchUp: 0, reconnects: 0 };

  const clock = (time) => paint(ANSI.dim, formatTime(time ?? now()));
  const systemLine = (symbol, text, code) => write(`${clock()} ${paint(code, `${symbol} ${printable(text)}`)}`);

  const remember = (status) => {
    recentStatuses.delete(status.id);
    recentStatuses.set(status.id, status);
    if (recentStatuses.size > REMEMBERED_STATUSES) recentStatuses.delete(recentStatuses.keys().next().value);
  };

  // `tag` ("[2 media]") is kept whole: the text before it is what gets cut.
  const eventLine = (event, time, mark, markColor, author, text, tag = '') => {
    const source = event.source === 'catchup' ? paint(ANSI.blue, '↺') : ' ';
    const who = paint(ANSI.cyan, padColumns(fit(printable(author), AUTHOR_WIDTH), AUTHOR_WIDTH));
    const room = Math.max(20, width - 14 - AUTHOR_WIDTH);
    write(`${clock(time)} ${source} ${paint(markColor, mark)} ${who} ${fit(printable(text), room - tag.length)}${tag}`);
  };

  /** Prints one event from the stream. */
  const printEvent = (event) => {
    counts.events++;
    if (event.source === 'catchup') counts.catchUp++;
    switch (event.event) {
      case 'update': {
        const status = event.payload;
        remember(status);
        // A boost is a status wrapping the original: show who boosted, then whose post it is.
        const shown = status.reblog ?? status;
        const text = `${status.reblog ? `⇄ @${status.reblog.account.acct}: ` : ''}${describeStatus(shown)}`;
        eventLine(event, Date.parse(status.created_at), '•', ANSI.green, `@${status.account.acct}`, text, mediaTag(shown));
        return;
      }
      case 'status.update': {
        const status = event.payload;
        remember(status);
        eventLine(event, Date.parse(status.edited_at ?? status.created_at), '✎', ANSI.yellow, `@${status.account.acct}`, describeStatus(status), mediaTag(status));
        return;
      }
      case 'delete': {
        const known = recentStatuses.get(event.payload);
        recentStatuses.delete(event.payload);
        const author = known ? `@${known.account.acct}` : '';
        eventLine(event, now(), '✗', ANSI.red, author, `deleted: ${known ? statusText(known) : `status ${event.payload}`}`);
        return;
      }
      case 'notification': {
        const notification = event.payload;
        const verb = NOTIFICATION_VERBS[notification.type] ?? notification.type;
        const about = notification.status ? `: ${statusText(notification.status)}` : '';
        eventLine(event, Date.parse(notification.created_at), '◆', ANSI.magenta, `@${notification.account.acct}`, `${verb}${about}`);
        return;
      }
      case 'conversation': {
        const last = event.payload.last_status;
        const people = event.payload.accounts.map((account) => `@${account.acct}`).join(' ');
        eventLine(event, now(), '✉', ANSI.magenta, people, last ? statusText(last) : 'conversation updated');
        return;
      }
      case 'unknown':
        eventLine(event, now(), '?', ANSI.dim, '', `${event.name}: ${event.data}`);
        return;
      default:
        eventLine(event, now(), '·', ANSI.dim, '', event.event.replace(/_/g, ' '));
    }
  };

  /** Stream hooks (pass them in the stream options) that make reconnects and catch-up visible. */
  const hooks = {
    onOpen() {
      if (!opened) systemLine('●', 'connected', ANSI.green);
      else systemLine('●', 'reconnected', ANSI.green);
      opened = true;
    },
    onReconnecting({ attempt, delayMs, error }) {
      counts.reconnects++;
      systemLine('⟳', `reconnecting in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt}: ${error.message})`, ANSI.yellow);
    },
    onCatchUpProgress({ route, fetched }) {
      catchUpCounts[route] = fetched;
    },
    onStateChange(state) {
      if (state === 'catching-up') {
        catchUpCounts.statuses = 0;
        catchUpCounts.notifications = 0;
        catchUpCounts.conversations = 0;
      }
      // Catch-up ends by going back to "open" once its last page was delivered: this line follows the events it brought (marked ↺).
      if (previousState === 'catching-up' && state === 'open') {
        // Each stream names what it catches up (also when it found none): direct, conversations; notifications, only those.
        const parts =
          stream === 'direct' ? [plural(catchUpCounts.conversations, 'conversation', 'conversations')] : stream === 'notifications' ? [] : [plural(catchUpCounts.statuses, 'status', 'statuses')];
        if (catchUpCounts.notifications > 0 || stream === 'notifications') parts.push(plural(catchUpCounts.notifications, 'notification', 'notifications'));
        systemLine('↺', `caught up ${parts.join(', ')}`, ANSI.blue);
      }
      previousState = state;
    },
    onGap({ reason, kinds }) {
      // "not-recoverable" is announced on every reconnect (deletes/edits are never listed over REST); only say real losses.
      if (reason === 'not-recoverable' && !kinds.includes('notifications')) return;
      const why = reason === 'not-recoverable' ? 'nothing to page from yet' : reason.replace(/-/g, ' ');
      systemLine('!', `gap: ${kinds.join(', ')} missed while disconnected cannot be fetched (${why})`, ANSI.red);
    },
    onError(error) {
      systemLine('!', `${error.name}: ${error.message}`, ANSI.red);
    },
  };

  return { printEvent, hooks, counts, systemLine: (symbol, text) => systemLine(symbol, text, ANSI.dim) };
}

/** Status text for one line: its language when not English, then the content warning or the text. */
function describeStatus(status) {
  const language = status.language && status.language !== 'en' ? `(${status.language}) ` : '';
  return `${language}${statusText(status)}`;
}

/** " [2 media]" for a status with attachments, else ''. */
function mediaTag(status) {
  return status.media_attachments.length > 0 ? ` [${plural(status.media_attachments.length, 'media', 'media')}]` : '';
}

function statusText(status) {
  if (status.spoiler_text) return `CW: ${status.spoiler_text}`;
  return htmlToText(status.content ?? '');
}

// C0 and C1 controls and DEL (ESC starts sequences that retitle the window, clear the screen, write the
// clipboard…) and the bidi embeddings, overrides and isolates (they reorder the rest of the line).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** Text from the network, safe to print: line breaks and tabs become spaces, other controls are dropped. */
export function printable(text) {
  return String(text).replace(/[\t\n\v\f\r]/g, ' ').replace(CONTROL_CHARACTERS, '');
}

/** Mastodon content is HTML; a terminal wants one line of plain text. */
export function htmlToText(html) {
  return html
    .replace(/<br\s*\/?>|<\/p>\s*<p[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos|nbsp|#39);/gi, (_, entity) => decodeEntity(entity))
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntity(entity) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  const lower = entity.toLowerCase();
  if (lower in named) return named[lower];
  const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
  return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Terminals draw these two columns wide: emoji, and the East Asian wide and fullwidth blocks (Hangul jamo,
// CJK symbols, kana, ideographs, Yi, Hangul syllables, compatibility ideographs, fullwidth forms, planes 2-3).
const WIDE = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const columnsOf = (grapheme) => (WIDE.test(grapheme) ? 2 : 1);

/** Truncates to `max` terminal columns (never splitting an emoji; CJK and emoji count two), with an ellipsis. */
export function fit(text, max) {
  const characters = Array.from(graphemes.segment(text), (part) => part.segment);
  if (characters.reduce((sum, character) => sum + columnsOf(character), 0) <= max) return text;
  let kept = '';
  let used = 0;
  for (const character of characters) {
    used += columnsOf(character);
    if (used > max - 1) break;
    kept += character;
  }
  return `${kept}…`;
}

/** `text` padded with spaces to `width` terminal columns. */
function padColumns(text, width) {
  const used = Array.from(graphemes.segment(text), (part) => columnsOf(part.segment)).reduce((sum, columns) => sum + columns, 0);
  return text + ' '.repeat(Math.max(0, width - used));
}

function formatTime(epochMs) {
  const date = new Date(Number.isFinite(epochMs) ? epochMs : Date.now());
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}
