// Drives fake Mastodon servers for runtimes that cannot run the testkit
// themselves (it needs node:http): Deno, browsers, another Node version.
// Starts an HTTP control API on 127.0.0.1 (CORS open, so a page can call it)
// that creates testkit servers and posts, drops and observes through them.
//
// Usage: node scripts/conformance/control-server.mjs [--port N]
// Prints one line `{"controlUrl":"http://127.0.0.1:PORT"}` once listening.
// Exits when its stdin ends (the parent died or closed it) or on SIGTERM/SIGINT,
// closing every fake server first, so it never outlives the step that started it.
//
// API (JSON bodies and answers; every wait is bounded by `timeoutMs`, default 10 s):
//   POST   /servers                        {heartbeatIntervalMs?} → {id, url}
//   POST   /servers/:id/post-status        {content?, tags?}      → {id}
//   POST   /servers/:id/delete-status      {id}                   → {deleted}
//   POST   /servers/:id/notify                                    → {id}
//   POST   /servers/:id/drop               {midFrame?, postWhileDown?} → {dropped, posted: [ids]}
//   POST   /servers/:id/wait-connection    {stream?, afterId?, timeoutMs?} → {id, stream}
//   POST   /servers/:id/wait-closed        {connectionId, timeoutMs?} → {closed: true}
//   POST   /servers/:id/fail-next          {status, body?, headers?, times?, paths?, delayMs?, holdOpen?} → {queued: true}
//   POST   /servers/:id/push-raw           {text}                 → {pushed: true}
//   POST   /servers/:id/stall              {keepHeartbeats?}      → {stalled: N}
//   POST   /servers/:id/wait-request       {path, afterIndex?, timeoutMs?} → {index, method, path, status}
//   GET    /servers/:id/connections        → {open: [{id, stream}], total}
//   DELETE /servers/:id                    → {closed: true}
//   POST   /chaos                          {seed, connections?, stream?, maxEventBytes?} → {id, url}
//   GET    /chaos/:id/ledger               → the chaos ledger as JSON (maps and sets as objects and arrays)
//   GET    /chaos/:id/open-streams         → {open}
//   DELETE /chaos/:id                      → {closed: true}
import { createServer } from 'node:http';
import { chaosLedgerToJson, createChaosServer, createFakeMastodon } from '../../packages/testkit/dist/index.js';

const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 30_000;
const servers = new Map();
const chaosServers = new Map();
let nextServerId = 1;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function waitLimit(body) {
  const requested = Number(body.timeoutMs ?? DEFAULT_WAIT_MS);
  return Math.min(Number.isFinite(requested) && requested > 0 ? requested : DEFAULT_WAIT_MS, MAX_WAIT_MS);
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(504, `timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeConnection(connection) {
  return { id: connection.id, stream: connection.stream, url: connection.url };
}

function postStatus(fake, body = {}) {
  const content = typeof body.content === 'string' ? body.content : '<p>conformance status</p>';
  const tags = Array.isArray(body.tags) ? body.tags.map(String) : undefined;
  return fake.postStatus({ content }, tags ? { tags } : {});
}

// Each handler gets the fake server and the parsed body and returns the answer.
const serverRoutes = {
  'POST post-status': (fake, body) => ({ id: postStatus(fake, body).id }),
  'POST delete-status': (fake, body) => ({ deleted: fake.deleteStatus(String(body.id)) }),
  // A mention of alice (the owner of 'peer-test-token') by bob, on her user streams.
  'POST notify': (fake) => ({ id: fake.notify('1001', { type: 'mention' }).id }),
  // Statuses are posted in the same turn as the drop, so no client can have
  // reconnected yet: they reach a client only through catch-up.
  'POST drop': (fake, body) => {
    const dropped = fake.connections.filter((connection) => !connection.isClosed).length;
    fake.dropConnections(undefined, { midFrame: body.midFrame === true });
    const count = Math.min(Math.max(Number(body.postWhileDown ?? 0), 0), 100);
    const posted = [];
    for (let index = 0; index < count; index++) posted.push(postStatus(fake, { content: `<p>posted while down ${index + 1}</p>` }).id);
    return { dropped, posted };
  },
  'POST wait-connection': async (fake, body) => {
    const afterId = Number(body.afterId ?? 0);
    const matches = (connection) => connection.id > afterId && (body.stream === undefined || connection.stream === body.stream);
    const connection = await fake.waitForConnection(matches, { timeoutMs: waitLimit(body) });
    return describeConnection(connection);
  },
  // The testkit forgets a connection once it is closed; it was closed if it is
  // no longer open, because ids are never reused.
  'POST wait-closed': async (fake, body) => {
    const connectionId = Number(body.connectionId);
    const open = fake.connections.find((connection) => connection.id === connectionId);
    if (open !== undefined) await withTimeout(open.closed, waitLimit(body), `connection ${connectionId} to close`);
    return { closed: true };
  },
  // The testkit's scripted HTTP answers (a status, a held or never-ending body), passed through as given.
  'POST fail-next': (fake, body) => {
    const { status, body: answerBody, headers, times, paths, delayMs, holdOpen } = body;
    fake.failNext({ status: Number(status), body: answerBody, headers, times, paths, delayMs, holdOpen });
    return { queued: true };
  },
  // Raw bytes on every open stream, e.g. a malformed or unknown event.
  'POST push-raw': (fake, body) => {
    fake.pushRaw(String(body.text ?? ''));
    return { pushed: true };
  },
  // Silence on every open stream, sockets left open: a half-open connection for the client's stall watchdog.
  'POST stall': (fake, body) => {
    const stalled = fake.connections.filter((connection) => !connection.isClosed).length;
    fake.stall(undefined, { keepHeartbeats: body.keepHeartbeats === true });
    return { stalled };
  },
  // A request as soon as it is received, answered or not (a scripted delay keeps its status 0, which the testkit's
  // waitForRequest does not resolve on): polled, since the testkit records requests without an event. `method`, if
  // given, leaves out the rest (a browser's CORS preflight, an OPTIONS to the same path, comes first).
  'POST wait-request': async (fake, body) => {
    const afterIndex = Number(body.afterIndex ?? -1);
    const matches = (request) => request.path === body.path && (body.method === undefined || request.method === body.method);
    const find = () => fake.requests.findIndex((request, index) => index > afterIndex && matches(request));
    let timer;
    const found = new Promise((resolve) => {
      const poll = () => (find() >= 0 ? resolve(find()) : (timer = setTimeout(poll, 10)));
      poll();
    });
    const index = await withTimeout(found, waitLimit(body), `a request to ${body.path}`).finally(() => clearTimeout(timer));
    const { method, path, status } = fake.requests[index];
    return { index, method, path, status };
  },
  'GET connections': (fake) => ({ open: fake.connections.filter((c) => !c.isClosed).map(describeConnection), total: fake.totalConnections }),
};

async function routeChaos(method, path, body) {
  if (method === 'POST' && path === '/chaos') {
    const options = { seed: Number(body.seed), connections: Number(body.connections ?? 8), stream: body.stream === 'user' ? 'user' : 'public', maxEventBytes: Number(body.maxEventBytes ?? 4096) };
    const chaos = await createChaosServer(options);
    const id = String(nextServerId++);
    chaosServers.set(id, chaos);
    return { id, url: chaos.url };
  }
  const [, id, action] = /^\/chaos\/([^/]+)(?:\/([a-z-]+))?$/.exec(path) ?? [];
  const chaos = chaosServers.get(id);
  if (chaos === undefined) throw new HttpError(404, `no chaos server ${id}`);
  if (method === 'GET' && action === 'ledger') return chaosLedgerToJson(chaos.ledger);
  if (method === 'GET' && action === 'open-streams') return { open: chaos.openStreams() };
  if (method === 'DELETE' && action === undefined) {
    chaosServers.delete(id);
    await chaos.close();
    return { closed: true };
  }
  throw new HttpError(404, `no route ${method} ${path}`);
}

async function route(method, path, body) {
  if (path === '/chaos' || path.startsWith('/chaos/')) return routeChaos(method, path, body);
  if (method === 'POST' && path === '/servers') {
    const heartbeatIntervalMs = body.heartbeatIntervalMs === undefined ? undefined : Number(body.heartbeatIntervalMs);
    const fake = await createFakeMastodon(heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs });
    const id = String(nextServerId++);
    servers.set(id, fake);
    return { id, url: fake.url };
  }
  const match = /^\/servers\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
  if (match === null) throw new HttpError(404, `no route ${method} ${path}`);
  const [, serverId, action] = match;
  const fake = servers.get(serverId);
  if (fake === undefined) throw new HttpError(404, `no server ${serverId}`);
  if (action === undefined && method === 'DELETE') {
    servers.delete(serverId);
    await fake.close();
    return { closed: true };
  }
  const handler = serverRoutes[`${method} ${action}`];
  if (handler === undefined) throw new HttpError(404, `no route ${method} ${path}`);
  return handler(fake, body);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65_536) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function send(res, status, answer) {
  const text = JSON.stringify(answer);
  res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const control = createServer(async (req, res) => {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS);
    return res.end();
  }
  try {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = await readJson(req);
    send(res, 200, await route(req.method ?? 'GET', path, body));
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    send(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
});

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  control.closeAllConnections();
  control.close();
  await Promise.allSettled([...servers.values(), ...chaosServers.values()].map((fake) => fake.close()));
  process.exit(code);
}

process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.stdin.on('end', () => void shutdown(0));
process.stdin.on('error', () => void shutdown(0));
process.stdin.resume();

const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;
control.listen(port, '127.0.0.1', () => {
  const address = control.address();
  console.log(JSON.stringify({ controlUrl: `http://127.0.0.1:${address.port}` }));
});
