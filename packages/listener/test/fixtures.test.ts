import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { handlerNameFor } from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, type Call } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

const FIXTURES = fileURLToPath(new URL('../../testkit/fixtures/real-mastodon-4.5.7/', import.meta.url));
const CAPTURES = ['sse-user', 'sse-user-notification', 'sse-public', 'sse-hashtag', 'sse-list', 'sse-direct'] as const;

/** The de-chunked body bytes of a captured HTTP/1.1 response. */
function capturedBody(name: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(`${FIXTURES}${name}.raw`));
  const text = Buffer.from(raw).toString('latin1');
  const body: number[] = [];
  let position = text.indexOf('\r\n\r\n') + 4;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', position);
    if (lineEnd === -1) break;
    const size = Number.parseInt(text.slice(position, lineEnd), 16);
    if (!(size > 0)) break;
    body.push(...raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    position = lineEnd + 2 + size + 2;
  }
  return new Uint8Array(body);
}

/**
 * The handler calls the listener-port.md dispatch table predicts for a body, worked out
 * independently of the implementation: Mastodon writes each event as exactly
 * `event: X\ndata: Y\n\n` (protocol.md §5.2), so a plain split is a sufficient oracle here.
 */
function expectedCalls(body: string): Call[] {
  const calls: Call[] = [];
  for (const block of body.split('\n\n')) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (event === undefined || data === undefined) continue;
    const name = handlerNameFor(event);
    if (event === 'delete' || event === 'announcement.delete') calls.push([name, data, ['user']]);
    else if (event === 'filters_changed' || event === 'notifications_merged') calls.push([name]);
    else if (Object.hasOwn(Recorder.prototype, name)) calls.push([name, JSON.parse(data), ['user']]);
    else calls.push(['onUnknownEvent', event, parseOrRaw(data), ['user']]);
  }
  return calls;
}

function parseOrRaw(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Deterministic pseudo-random split points, so a failure can be reproduced from its seed. */
function split(bytes: Uint8Array, seed: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let state = seed;
  for (let start = 0; start < bytes.length; ) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const size = 1 + (state % 17);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

describe('real Mastodon 4.5.7 bytes', () => {
  for (const capture of CAPTURES) {
    it(`${capture}: replayed in arbitrary chunk splits, gives the events of the capture`, async () => {
      const body = capturedBody(capture);
      const expected = expectedCalls(Buffer.from(body).toString('utf8'));
      expect(expected.length).toBeGreaterThan(0);
      for (const seed of [1, 7, 42]) {
        const server = await cleanup.server();
        const listener = new Recorder();
        const done = clientFor(server).streamUser(listener);
        await server.waitForConnection();
        for (const chunk of split(body, seed)) server.pushRaw(chunk);
        server.endStreams();
        await done;
        expect(listener.events(), `seed ${seed}`).toEqual(expected);
        expect(listener.count('onError'), `seed ${seed}`).toBe(0);
        await server.close();
      }
    });
  }
});
