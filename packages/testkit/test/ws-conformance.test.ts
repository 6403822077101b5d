import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FakeMastodonOptions, PublishTarget, StreamName } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { RawCapture } from './raw-http.js';
import { RFC_ACCEPT, RawWebSocket, clientFrame, upgradeRequest } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/real-mastodon-4.5.7', import.meta.url));

/** One line of a `.frames.txt` timeline. */
type Step =
  | { kind: 'handshake' }
  | { kind: 'client-text'; text: string }
  | { kind: 'server-text'; text: string }
  | { kind: 'ping' }
  | { kind: 'pong' }
  | { kind: 'close' }
  | { kind: 'socket-end' };

function readTimeline(name: string): Step[] {
  return readFixtureText(`${name}.frames.txt`)
    .split('\n')
    .filter((line) => line.startsWith('+'))
    .map((line): Step => {
      const rest = line.replace(/^\+\s*\d+ms /, '');
      if (rest.startsWith('<< handshake ')) return { kind: 'handshake' };
      if (rest.startsWith('>> client text ')) return { kind: 'client-text', text: rest.slice('>> client text '.length) };
      if (rest.startsWith('<< text ')) return { kind: 'server-text', text: JSON.parse(rest.replace(/^<< text hdr=\S+ len=\d+ /, '')) as string };
      if (rest.startsWith('<< ping ')) return { kind: 'ping' };
      if (rest === '>> pong') return { kind: 'pong' };
      if (rest.startsWith('<< close ')) return { kind: 'close' };
      if (rest === 'socket end') return { kind: 'socket-end' };
      throw new Error(`unknown timeline line: ${line}`);
    });
}

/**
 * Masks what differs per connection: `Sec-WebSocket-Accept` depends on the client's random key
 * (the capture's key is unknown; ours is checked separately against RFC 6455) and
 * `X-Request-Id` is a fresh UUID.
 */
function maskHandshake(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(/\r\nSec-WebSocket-Accept: [A-Za-z0-9+/=]+\r\n/, '\r\nSec-WebSocket-Accept: <accept>\r\n')
    .replace(/\r\nX-Request-Id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\r\n/, '\r\nX-Request-Id: <uuid>\r\n');
}

/** The channel a captured frame came from, for re-publishing it on the fake. */
function targetOf(label: Array<string | number>, accountId: string): PublishTarget {
  const [stream, detail] = label as [StreamName, string | number | undefined];
  if (stream === 'hashtag' || stream === 'hashtag:local') return { stream, tag: String(detail) };
  if (stream === 'list') return { stream, list: String(detail) };
  if (stream.startsWith('user') || stream === 'direct') return { stream, accountId };
  return { stream };
}

const perTest = useFakeServer<RawWebSocket>();

interface Replay {
  fixture: string;
  path: string;
  headers: Record<string, string>;
  /** What the capture's close frame was: a kill of this token. */
  killedToken?: string;
}

const REPLAYS: Replay[] = [
  { fixture: 'ws-long', path: '/api/v1/streaming?stream=public&access_token=peer-test-token', headers: {}, killedToken: 'peer-test-token' },
  { fixture: 'ws-protocol-auth', path: '/api/v1/streaming?stream=hashtag&tag=Test', headers: { 'Sec-WebSocket-Protocol': 'peer-test-token' } },
];

describe('WebSocket timelines match the Mastodon 4.5.7 captures byte for byte', () => {
  for (const replay of REPLAYS) {
    it(replay.fixture, async () => {
      const expected = readFileSync(`${FIXTURES}/${replay.fixture}.raw`);
      // Pings come from explicit sweeps here, so they land exactly where the capture has them.
      const options: FakeMastodonOptions = { webSocketPingIntervalMs: 0, webSocketCloseTimeoutMs: 300 };
      const s = await perTest.start(options);
      const ws = perTest.track(await RawWebSocket.open(s.port, replay.path, replay.headers));
      const session = await s.waitForWebSocket(() => true); // some captures subscribe by message, later
      let framesSeen = 0;
      let messagesSent = 0;
      let pongsSent = 0;

      for (const step of readTimeline(replay.fixture)) {
        if (step.kind === 'client-text') {
          await ws.sendText(step.text);
          messagesSent += 1;
          await s.waitForWebSocket((candidate) => candidate.messages.length === messagesSent);
        } else if (step.kind === 'server-text') {
          const frame = JSON.parse(step.text) as { stream: Array<string | number>; event: string; payload: string };
          let payload = frame.payload;
          if (/^(public|hashtag)/.test(String(frame.stream[0])) && /^(update|status\.update)$/.test(frame.event)) {
            expect(payload.endsWith(',"filtered":[]}')).toBe(true);
            payload = `${payload.slice(0, -',"filtered":[]}'.length)}}`;
          }
          expect(s.publish(targetOf(frame.stream, session.accountId), frame.event, payload)).toBe(1);
          framesSeen += 1;
          await ws.waitForFrames((frames) => frames.length >= framesSeen);
        } else if (step.kind === 'ping') {
          s.sweepWebSockets();
          framesSeen += 1;
          await ws.waitForFrames((frames) => frames.length >= framesSeen);
        } else if (step.kind === 'pong') {
          await ws.send(clientFrame(0xa, ''));
          pongsSent += 1;
          await s.waitForWebSocket((candidate) => candidate.pongs === pongsSent);
        } else if (step.kind === 'close') {
          expect(replay.killedToken).toBeDefined();
          s.revokeToken(replay.killedToken ?? '');
          framesSeen += 1;
          await ws.waitForFrames((frames) => frames.length >= framesSeen);
        } else if (step.kind === 'socket-end') {
          // The capture's client never answered the close; the server dropped TCP after the close timeout.
          await ws.ended;
        }
      }

      const actual = ws.capture.bytes();
      expect(actual.length).toBe(expected.length);
      expect(maskHandshake(actual)).toBe(maskHandshake(expected));
      expect(actual.toString('latin1')).toContain(`\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n`);
    });
  }
});

function fixtureLines(prefix: string): string[] {
  return readFixtureText('ws-checks.txt')
    .split('\n')
    .filter((line) => line.startsWith(prefix));
}

describe('upgrade answers match ws-checks.txt and the rejection format', () => {
  // "#   HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n…X-Error-Message: Invalid access token\r\n\r\n"
  const rejectionLine = readFixtureText('annotated-http-and-ws-errors.txt')
    .split('\n')
    .find((line) => line.startsWith('#   HTTP/1.1 401'));
  const rejectionTemplate = (rejectionLine ?? '').slice(4).replaceAll('\\r\\n', '\r\n');

  const requests: Record<string, { path: string; headers: Record<string, string>; options?: FakeMastodonOptions }> = {
    'query access_token': { path: '/api/v1/streaming?access_token=peer-test-token', headers: {} },
    'Authorization header': { path: '/api/v1/streaming', headers: { Authorization: 'Bearer peer-test-token' } },
    'Sec-WebSocket-Protocol': { path: '/api/v1/streaming', headers: { 'Sec-WebSocket-Protocol': 'peer-test-token' } },
    'no token': { path: '/api/v1/streaming', headers: {} },
    'bad token': { path: '/api/v1/streaming', headers: { Authorization: 'Bearer nope' } },
    'revoked token': { path: '/api/v1/streaming', headers: { Authorization: 'Bearer peer-test-token-revoked' } },
    'other path + token': { path: '/whatever', headers: { Authorization: 'Bearer peer-test-token' }, options: { webSocketPaths: 'any' } },
  };

  const lines = fixtureLines('[ws auth] ');
  it('covers every [ws auth] check of the capture', () => {
    expect(lines.map((line) => /^\[ws auth\] (.+?): /.exec(line)?.[1]).sort()).toEqual(Object.keys(requests).sort());
  });

  for (const line of lines) {
    const match = /^\[ws auth\] (.+?): (OPEN protocol="(.*)"|REJECTED 401 x-error-message="(.*)" body="")$/.exec(line);
    const name = match?.[1] ?? line;
    it(line, async () => {
      const request = requests[name];
      expect(match, 'the line has the form of a [ws auth] check').not.toBeNull();
      expect(request, `a request for ${name}`).toBeDefined();
      if (!match || !request) return;
      const server = await perTest.start(request.options);
      const capture = await RawCapture.open(server.port, upgradeRequest(request.path, request.headers));
      try {
        if (match[3] !== undefined) {
          await capture.waitFor((text) => text.includes('\r\n\r\n'));
          expect(capture.text()).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
          const echoed = /\r\nSec-WebSocket-Protocol: ([^\r]*)\r\n/.exec(capture.text())?.[1] ?? '';
          expect(echoed).toBe(match[3]);
          expect(server.webSockets).toHaveLength(1);
        } else {
          expect(await capture.ended).toBe('end');
          const expected = rejectionTemplate.replace('Invalid access token', match[4] ?? '');
          expect(capture.text().replace(/X-Request-Id: [0-9a-f-]{36}/, 'X-Request-Id: <uuid>')).toBe(expected);
          expect(server.totalWebSockets).toBe(0);
          expect(server.requests.at(-1)?.status).toBe(401);
        }
      } finally {
        capture.close();
      }
    });
  }
});

describe('subscribe answers match ws-checks.txt', () => {
  const checks = [...fixtureLines('[ws sub] '), ...fixtureLines('[ws scope] write-only subscribe')];
  it('has the checks', () => expect(checks.length).toBeGreaterThanOrEqual(9));

  for (const line of checks) {
    const match = /^\[ws (?:sub|scope)\] (?:write-only subscribe (\w+)|(.*?)) -> (\[.*\])( open=true)?$/.exec(line);
    it(line, async () => {
      expect(match, 'the line has the form of a [ws sub] or [ws scope] check').not.toBeNull();
      if (!match) return;
      const writeOnly = match[1] !== undefined;
      const sent = writeOnly ? JSON.stringify({ type: 'subscribe', stream: match[1] }) : (match[2] ?? '');
      // A quoted entry is plain text sent as is (the "not json" check).
      const text = sent.startsWith('"') ? (JSON.parse(sent) as string) : sent;
      const expected = JSON.parse(match[3] ?? '[]') as string[];
      const server = await perTest.start();
      const token = writeOnly ? 'peer-test-token-writeonly' : 'peer-test-token';
      const ws = perTest.track(await RawWebSocket.open(server.port, '/api/v1/streaming', { Authorization: `Bearer ${token}` }));
      await ws.sendText(text);
      // A marker whose answer is known ends the window: whatever came before it answered `text`.
      const marker = '{"type":"subscribe","stream":"marker-unknown"}';
      await ws.sendText(marker);
      const markerAnswer = writeOnly ? expected.at(-1) : '{"error":"Unknown stream type","status":400}';
      const texts = await ws.waitForTexts(expected.length + 1);
      expect(texts.at(-1)).toBe(markerAnswer);
      expect(texts.slice(0, -1)).toEqual(expected);
      expect(ws.frames.every((frame) => frame.fin && frame.opcode === 0x1)).toBe(true);
      expect(server.webSockets[0]?.isOpen).toBe(true);
      expect(server.webSockets[0]?.subscriptions).toEqual([]);
    });
  }
});
