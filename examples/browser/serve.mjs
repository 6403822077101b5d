#!/usr/bin/env node
// Serves the dashboard page and starts a fake Mastodon (the testkit) with
// simulated traffic next to it. The page and the fake instance run on
// different ports, so the browser really does cross-origin streaming (the
// testkit answers CORS preflights and sends Access-Control-Allow-Origin: *).
//
//   node scripts/build.mjs && node examples/browser/serve.mjs   # then open the printed URL
//
// Flags: see USAGE below (--help prints it); a bad flag or value prints one line
// and the usage and exits with code 2, as the Node examples do.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_ACCOUNTS, createFakeMastodon } from '@tootstream/testkit';
import { numberFlag, parseFlags, readCommandLine, UsageError } from '../node/command-line.mjs';
import { startSimulatedTraffic, VIEWER_TOKEN } from '../node/simulated-traffic.mjs';
import { browserModules, fileForPath, importMapTag } from './browser-modules.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const USAGE = `Usage: node examples/browser/serve.mjs [--port N] [--heartbeat-ms MS] [--rate N] [--drop-every SECONDS] [--test-endpoints]

  --port            port of the page, 0 to 65535 (default 8080; 0 = any free port)
  --heartbeat-ms    the fake instance's heartbeat interval, 0 (none) to 3600000 ms (default 15000, as Mastodon)
  --rate            events per second, above 0 and at most 100 (default 1.2)
  --drop-every      seconds between dropped connections, 0 (no drops) or 1 to 1000000 (default 20-30)
  --test-endpoints  enable POST /__test/drop, /__test/stall, /__test/hostile-media, /__test/custom-emoji[?spoiler]
                    and /__test/delete?id=… (for the browser test)
  -h, --help        show this help`;

/** The settings from the command line; throws UsageError on a mistake. */
function readServeArgs(args) {
  const values = parseFlags(args, {
    port: { type: 'string', default: '8080', example: '8080' },
    'heartbeat-ms': { type: 'string', default: '15000', example: '15000' },
    rate: { type: 'string', example: '6' },
    'drop-every': { type: 'string', example: '3' },
    'test-endpoints': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  });
  if (values === 'help') return 'help';
  const given = (flag, read) => (values[flag] === undefined ? undefined : read(values[flag]));
  const dropEvery = (text) => {
    const seconds = numberFlag('--drop-every', text, { min: 0, max: 1_000_000, expects: 'seconds between drops: 0 (no drops) or 1 to 1000000' });
    if (seconds > 0 && seconds < 1) throw new UsageError(`--drop-every expects seconds between drops: 0 (no drops) or 1 to 1000000; got "${text}"`);
    return seconds;
  };
  return {
    port: numberFlag('--port', values.port, { min: 0, max: 65_535, expects: 'a port number from 0 to 65535' }),
    heartbeatMs: numberFlag('--heartbeat-ms', values['heartbeat-ms'], { min: 0, max: 3_600_000, expects: 'milliseconds from 0 to 3600000' }),
    eventsPerSecond: given('rate', (text) => numberFlag('--rate', text, { above: 0, max: 100, expects: 'events per second: a number above 0, at most 100' })),
    dropEverySeconds: given('drop-every', dropEvery),
    testEndpoints: values['test-endpoints'] === true,
  };
}

const settings = readCommandLine({ program: 'serve', usage: USAGE, read: readServeArgs });
if (settings === undefined) process.exit();

const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json', '.svg': 'image/svg+xml' };

// The demo's custom emoji (simulated-traffic.mjs lists them), tiny pictures; `.static.svg` is the same standing still.
const BLOB_CAT = '<path d="M5 15 8 3l6 6M27 15 24 3l-6 6" fill="#fcc21b"/><ellipse cx="16" cy="18" rx="12" ry="10" fill="#fcc21b"/><circle cx="12" cy="17" r="1.6"/><circle cx="20" cy="17" r="1.6"/>';
const EMOJI_PICTURES = {
  ferris:
    '<path d="M7 21 2 25m6-1-3 5m20-8 5 4m-6-1 3 5M5 14l2 5m20-5-2 5" stroke="#f74c00" stroke-width="2"/><path d="M5 6a4 4 0 1 0 3 4H5zm22 0a4 4 0 1 1-3 4h3z" fill="#f74c00"/>' +
    '<ellipse cx="16" cy="20" rx="11" ry="7" fill="#f74c00"/><circle cx="12.5" cy="18" r="2"/><circle cx="19.5" cy="18" r="2"/>',
  blobcatheart: `${BLOB_CAT}<path d="M16 31l-5-5a2.8 2.8 0 0 1 5-3.8 2.8 2.8 0 0 1 5 3.8z" fill="#e0245e"/>`,
  ablobcatwave: `${BLOB_CAT}<ellipse cx="28" cy="11" rx="3" ry="4.5" fill="#fcc21b" stroke="#b8860b"><animateTransform attributeName="transform" type="rotate" values="-25 27 17;25 27 17;-25 27 17" dur="0.9s" repeatCount="indefinite"/></ellipse>`,
};

const modules = browserModules();
const roots = [
  { prefix: '/app/', dir: join(here, 'app') },
  // The stream-name parser is shared with the Node example: plain ESM, no Node APIs.
  { prefix: '/shared/', dir: join(here, '../node'), only: ['stream-choice.mjs'] },
  ...modules,
];

const mastodon = await createFakeMastodon({ heartbeatIntervalMs: settings.heartbeatMs });
const page = createServer((request, response) => {
  handle(request, response).catch((error) => {
    if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
    response.end(String(error?.message ?? error));
  });
});
await new Promise((resolve) => {
  // A port already taken (8080 often is) is a usage problem: one line, as for any other flag, not a stack trace.
  const refused = (error) => {
    console.error(`serve: cannot listen on 127.0.0.1:${settings.port}: ${error.code ?? error.message}; pick another with --port`);
    process.exit(2);
  };
  page.once('error', refused);
  page.listen(settings.port, '127.0.0.1', () => {
    page.off('error', refused);
    resolve();
  });
});
const pageUrl = `http://127.0.0.1:${page.address().port}`;

const { dropEverySeconds } = settings;
const traffic = startSimulatedTraffic(mastodon, {
  eventsPerSecond: settings.eventsPerSecond,
  // --drop-every 0 turns drops off.
  dropEveryMs: dropEverySeconds === undefined ? undefined : dropEverySeconds > 0 && dropEverySeconds * 1000,
  // Media thumbnails come from this server, so the page shows real images offline.
  mediaBaseUrl: `${pageUrl}/media`,
});

async function handle(request, response) {
  const { pathname, searchParams } = new URL(request.url ?? '/', pageUrl);
  if (pathname === '/' || pathname === '/index.html') {
    const html = await readFile(join(here, 'index.html'), 'utf8');
    return send(response, 200, '.html', html.replace('<!-- import map -->', importMapTag(modules)));
  }
  if (pathname === '/config.json') {
    // A demo token for the fake instance only. With a real instance, never ship a token in a page.
    return send(response, 200, '.json', JSON.stringify({ instanceUrl: mastodon.url, accessToken: VIEWER_TOKEN }));
  }
  const picture = /^\/media\/(\d)\.svg$/.exec(pathname);
  if (picture) return send(response, 200, '.svg', placeholderPicture(Number(picture[1])));
  const emoji = /^\/media\/emoji\/(\w+)(\.static)?\.svg$/.exec(pathname);
  if (emoji && Object.hasOwn(EMOJI_PICTURES, emoji[1])) return send(response, 200, '.svg', customEmojiPicture(emoji[1], emoji[2] !== undefined));
  if (pathname === '/__test/drop' && request.method === 'POST' && settings.testEndpoints) {
    const downMs = Number(searchParams.get('downMs') ?? 0);
    if (downMs > 0) void mastodon.restart({ downMs });
    else mastodon.dropConnections(undefined, { midFrame: true });
    return send(response, 204, '.txt', '');
  }
  if (pathname === '/__test/hostile-media' && request.method === 'POST' && settings.testEndpoints) {
    // A status from a hostile server: its media URLs are scripts, not images.
    const script = 'javascript:document.title="pwned"';
    const media = { id: '1', type: 'image', url: script, preview_url: script, remote_url: script, description: 'hostile' };
    const status = mastodon.postStatus({ content: '<p>hostile media</p>', media_attachments: [media] }, { account: 'bob' });
    return send(response, 200, '.txt', status.id);
  }
  if (pathname === '/__test/custom-emoji' && request.method === 'POST' && settings.testEndpoints) {
    // One listed emoji, in the text, in a link's text and href, and in the author's name; two a hostile server
    // listed with a javascript: and a data: URL; and a shortcode the status does not list.
    const base = `${pageUrl}/media/emoji`;
    const wave = { shortcode: 'ablobcatwave', url: `${base}/ablobcatwave.svg`, static_url: `${base}/ablobcatwave.static.svg`, visible_in_picker: true };
    const hostile = [
      ['evil', 'javascript:document.title="pwned"'],
      ['inlined', 'data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E'],
    ].map(([shortcode, url]) => ({ shortcode, url, static_url: url, visible_in_picker: false }));
    const account = { ...KNOWN_ACCOUNTS.bob, display_name: 'Bob Peer :ablobcatwave:', emojis: [wave] };
    const link = '<a href="https://peer.example/tags/:ablobcatwave:" title=":ablobcatwave:">wave :ablobcatwave:</a>';
    const content = `<p>:ablobcatwave: hello :evil: :inlined: :unlisted: ${link}</p>`;
    // ?spoiler: the emoji in a content warning instead, the summary of the card's disclosure.
    const status = searchParams.has('spoiler')
      ? mastodon.postStatus({ content: '<p>behind the warning</p>', spoiler_text: 'waving :ablobcatwave: ahead', sensitive: true, emojis: [wave] }, { account: 'bob' })
      : mastodon.postStatus({ content, emojis: [wave, ...hostile] }, { account });
    return send(response, 200, '.txt', status.id);
  }
  if (pathname === '/__test/delete' && request.method === 'POST' && settings.testEndpoints) {
    mastodon.deleteStatus(searchParams.get('id') ?? '');
    return send(response, 204, '.txt', '');
  }
  if (pathname === '/__test/stall' && request.method === 'POST' && settings.testEndpoints) {
    // The newest connection goes silent but stays open: a connection that died while the device slept.
    const newest = Math.max(...mastodon.connections.filter((connection) => !connection.isClosed).map((connection) => connection.id));
    mastodon.stall((connection) => connection.id === newest);
    return send(response, 204, '.txt', '');
  }
  const root = roots.find(({ prefix }) => pathname.startsWith(prefix));
  const file = fileForPath(pathname, roots);
  if (root?.only && !root.only.some((name) => pathname === root.prefix + name)) return send(response, 404, '.txt', 'Not found');
  if (file === undefined) return send(response, 404, '.txt', 'Not found');
  const body = await readFile(file).catch(() => undefined);
  return body === undefined ? send(response, 404, '.txt', 'Not found') : send(response, 200, extname(file), body);
}

function send(response, status, extension, body) {
  response.writeHead(status, { 'Content-Type': `${CONTENT_TYPES[extension] ?? 'text/plain'}; charset=utf-8`, 'Cache-Control': 'no-store' });
  response.end(body);
}

/** A small landscape in one of eight palettes, standing in for photos. */
function placeholderPicture(index) {
  const hues = [12, 38, 95, 160, 200, 235, 280, 330];
  const hue = hues[index % hues.length];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue} 70% 75%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 70% 88%)"/></linearGradient></defs>
  <rect width="160" height="120" fill="url(#sky)"/>
  <circle cx="${40 + index * 12}" cy="38" r="14" fill="hsl(${(hue + 180) % 360} 80% 85%)"/>
  <path d="M0 95 L45 55 L80 85 L110 60 L160 98 V120 H0 Z" fill="hsl(${hue} 40% 35%)"/>
</svg>`;
}

/** A custom emoji's picture, standing still for its `static_url`. */
function customEmojiPicture(shortcode, still) {
  const shapes = EMOJI_PICTURES[shortcode];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">${still ? shapes.replace(/<animate\w*[^>]*\/>/g, '') : shapes}</svg>`;
}

console.log(`Dashboard: ${pageUrl}/`);
console.log(`Fake Mastodon (testkit): ${mastodon.url} — simulated traffic, drops every 20-30 s; Ctrl-C to stop`);

const shutDown = async () => {
  traffic.stop();
  page.closeAllConnections();
  await Promise.all([mastodon.close(), new Promise((resolve) => page.close(resolve))]);
};
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);
