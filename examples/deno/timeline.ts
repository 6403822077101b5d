// A Mastodon timeline in Deno, with the Mastodon.py-style listener API of
// @tootstream/listener (which runs on @tootstream/core).
//
//   MASTODON_TOKEN=… deno run --allow-net=mastodon.social --allow-env examples/deno/timeline.ts \
//     --url https://mastodon.social --stream public:local [--limit 20]
//
// Flags may also come from MASTODON_URL / MASTODON_TOKEN (the token better from there: --token shows in the process list). Ctrl-C stops it. A mistake in the
// flags prints one line and the usage and exits with code 2.
//
// How the packages are imported: a Deno user would write
//   import { Mastodon, StreamListener } from 'npm:@tootstream/listener';
// and Deno would fetch the package and its dependencies from npm. Our packages
// are not published yet, so this script imports the listener's BUILT files by
// relative path instead, and ./deno.json maps the bare names those files
// import: `@tootstream/core` to its built dist next door, `ky` and `valibot`
// to the same npm versions core declares (npm: specifiers, as in any Deno
// app). Once published, only the import line below changes.
// @ts-types="../../packages/listener/dist/index.d.ts"
import { Mastodon, StreamListener, type Notification, type Status } from '../../packages/listener/dist/index.js';

const USAGE = `Usage: deno run --allow-net=HOST --allow-env examples/deno/timeline.ts --url URL [--token TOKEN] [--stream public|public:local|public:remote|hashtag:TAG|user|list:ID] [--limit N]`;

/** A mistake on the command line: one line saying which, the usage, exit code 2 (no stack trace). */
function usageError(message: string): never {
  console.error(`timeline: ${message}\n${USAGE}`);
  Deno.exit(2);
}

/** `--name value` and `--name=value` flags; nothing else is needed here. */
function readFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let index = 0; index < args.length; index++) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(args[index] ?? '');
    // A long stray argument is most often a token pasted without --token: named by its length only.
    const stray = args[index] ?? '';
    if (!match) usageError(stray.length <= 20 ? `unexpected argument "${stray}"` : `an unexpected argument of ${stray.length} characters (not shown: it may be a token)`);
    if (!['url', 'token', 'stream', 'limit'].includes(match[1] as string)) usageError(`unknown flag --${match[1]}`);
    flags[match[1] as string] = match[2] ?? args[++index] ?? '';
  }
  return flags;
}

/** Mastodon content is HTML; one line of text is enough here. */
function plainText(html: string, max = 80): string {
  const text = html
    .replace(/<br\s*\/?>|<\/p>\s*<p[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(x[0-9a-f]+|\d+);/gi, (_, code: string) => {
      const point = code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : Number(code);
      return point <= 0x10ffff ? String.fromCodePoint(point) : '';
    });
  const line = printable(text).replace(/\s+/g, ' ').trim();
  // Cut between graphemes, so an emoji (two UTF-16 units, or several joined) is never split in half.
  const graphemes = Array.from(new Intl.Segmenter().segment(line), (part) => part.segment);
  return graphemes.length > max ? `${graphemes.slice(0, max - 1).join('')}…` : line;
}

/**
 * Text from the network, safe to print: line breaks and tabs become spaces; other C0 and C1 controls and DEL
 * (ESC sequences retitle the window, clear the screen…) and bidi overrides and isolates are dropped.
 */
function printable(text: string): string {
  return text.replace(/[\t\n\v\f\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu, '');
}

const clock = (iso?: string) => (iso ? new Date(iso) : new Date()).toTimeString().slice(0, 8);

/** Prints one line per event; calls `onCounted` after each printed event (for --limit). */
class TimelineListener extends StreamListener {
  // A delete carries only the id; recent statuses let the line say what went.
  private readonly recent = new Map<string, Status>();

  constructor(private readonly onCounted: () => void) {
    super();
  }

  override onUpdate(status: Status): void {
    this.remember(status);
    const shown = status.reblog ?? status;
    const boost = status.reblog ? `⇄ @${shown.account.acct}: ` : '';
    this.print(clock(status.created_at), '•', status.account.acct, boost + plainText(shown.spoiler_text ? `CW: ${shown.spoiler_text}` : shown.content));
  }

  override onStatusUpdate(status: Status): void {
    this.remember(status);
    this.print(clock(status.edited_at ?? undefined), '✎', status.account.acct, plainText(status.content));
  }

  override onDelete(statusId: string): void {
    const known = this.recent.get(statusId);
    this.recent.delete(statusId);
    this.print(clock(), '✗', known?.account.acct ?? '', `deleted: ${known ? plainText(known.content, 60) : `status ${statusId}`}`);
  }

  override onNotification(notification: Notification): void {
    const about = notification.status ? `: ${plainText(notification.status.content, 60)}` : '';
    this.print(clock(notification.created_at), '◆', notification.account.acct, `${notification.type}${about}`);
  }

  override onAbort(error: Error, willReconnect?: boolean): void {
    // With reconnectAsync every failure is retried except a refusal (a 4xx other than 408 and 429, a 200 that is no
    // event stream, Deno denying the host for want of --allow-net), which stops the handle: the script then exits
    // with the reason.
    console.error(`⟳ connection lost (${printable(error.message)})${willReconnect ? '; reconnecting' : ''}`);
  }

  private remember(status: Status): void {
    this.recent.set(status.id, status);
    if (this.recent.size > 200) this.recent.delete(this.recent.keys().next().value as string);
  }

  private print(time: string, mark: string, acct: string, text: string): void {
    console.log(`${time} ${mark} ${(acct ? `@${printable(acct)}` : '').padEnd(24)} ${printable(text)}`);
    this.onCounted();
  }
}

const flags = readFlags(Deno.args);
const url = flags.url ?? Deno.env.get('MASTODON_URL');
if (!url) usageError('--url (or MASTODON_URL) is required');
if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) usageError(`--url expects the instance's address, such as https://mastodon.social; got "${url}"`);
const token = flags.token ?? Deno.env.get('MASTODON_TOKEN');
const choice = flags.stream ?? 'public';
if (!/^(public(:local|:remote)?|hashtag:[^:]+|user|list:.+)$/.test(choice)) usageError(`--stream expects public, public:local, public:remote, hashtag:TAG, user or list:ID; got "${choice}"`);
if (flags.limit !== undefined && !/^[1-9]\d*$/.test(flags.limit)) usageError(`--limit expects a number of events above 0; got "${flags.limit}"`);
const limit = flags.limit ? Number(flags.limit) : Infinity;

// The token goes into the Authorization header, never into the URL.
const mastodon = new Mastodon({ apiBaseUrl: url, ...(token ? { accessToken: token } : {}) });
let printed = 0;
const listener = new TimelineListener(() => {
  if (++printed >= limit) void handle.close();
});

// With runAsync the call resolves to a handle before the first connect; reconnectAsync keeps it alive across drops (1 s base wait).
const options = { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 1 } as const;
const [kind, argument = ''] = choice.split(/:(.*)/);
const handle = await (
  kind === 'public' ? mastodon.streamPublic(listener, { ...options, local: argument === 'local', remote: argument === 'remote' })
  : kind === 'hashtag' ? mastodon.streamHashtag(argument, listener, options)
  : kind === 'user' ? mastodon.streamUser(listener, options)
  : mastodon.streamList(argument, listener, options)
);

const stop = () => void handle.close();
Deno.addSignalListener('SIGINT', stop);
console.error(`streaming ${choice} from ${new URL(url).origin}${Number.isFinite(limit) ? ` (${limit} events)` : ''}; Ctrl-C to stop`);
await handle.closed;
Deno.removeSignalListener('SIGINT', stop);
if (handle.error) {
  console.error(`timeline: ${printable(handle.error.message)}`);
  Deno.exit(1);
}
