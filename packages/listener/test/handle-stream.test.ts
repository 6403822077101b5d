import { afterEach, describe, expect, it } from 'vitest';
import { MastodonIllegalArgumentError, MastodonNetworkError } from '@tootstream/listener';
import { Cleanup, Recorder, sse, TOKEN } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

async function openBody(url: string): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(`${url}/api/v1/streaming/user`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return response.body as ReadableStream<Uint8Array>;
}

describe('StreamListener.handleStream(body)', () => {
  it('dispatches the events of a response body you fetched yourself, with forStream undefined', async () => {
    const server = await cleanup.server();
    const body = await openBody(server.url);
    const listener = new Recorder();
    const done = listener.handleStream(body);
    await server.waitForConnection();
    server.trickle(true);
    server.pushRaw(sse('update', '{"id":"1"}') + ':thump\n' + sse('delete', '2') + sse('fork.event', 'x'));
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(listener.events()).toEqual([
      ['onUpdate', { id: '1' }, undefined],
      ['onDelete', '2', undefined],
      ['onUnknownEvent', 'fork.event', 'x', undefined],
    ]);
    expect(listener.count('handleHeartbeat')).toBe(2);
  });

  it('accepts an AsyncIterable of byte chunks', async () => {
    const server = await cleanup.server();
    const body = await openBody(server.url);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    }
    const listener = new Recorder();
    const done = listener.handleStream(chunks());
    await server.waitForConnection();
    server.pushRaw(sse('delete', '3'));
    server.endStreams();
    await done;
    expect(listener.events()).toEqual([['onDelete', '3', undefined]]);
  });

  it('reads text chunks as UTF-8 instead of losing their events (a body decoded to strings, as Node gives after setEncoding)', async () => {
    const server = await cleanup.server();
    const text = (await openBody(server.url)).pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>) as unknown as ReadableStream<Uint8Array>;
    const listener = new Recorder();
    const done = listener.handleStream(text);
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"id":"1","content":"café ☃"}') + sse('delete', '2'));
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(listener.events()).toEqual([
      ['onUpdate', { id: '1', content: 'café ☃' }, undefined],
      ['onDelete', '2', undefined],
    ]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', sse('delete', '1')],
    ['an array of chunks', [new TextEncoder().encode(sse('delete', '1'))]],
  ])('refuses %s as the body with MastodonIllegalArgumentError, before any handler call', async (_, body) => {
    const listener = new Recorder();
    await expect(listener.handleStream(body as never)).rejects.toThrow(MastodonIllegalArgumentError);
    expect(listener.calls).toEqual([]);
  });

  it.each([
    ['a number, first', 42, 'number', true],
    ['an object, after an event', { a: 1 }, 'object', false],
    ['null, after an event', null, 'null', false],
    // Read as byte values, it garbled the next event.
    ['an array of byte values, after an event', [...new TextEncoder().encode(sse('delete', '9'))], 'an array', false],
  ])('ends the call with MastodonIllegalArgumentError at a chunk that is %s, and hangs up', async (_, badChunk, named, first) => {
    const server = await cleanup.server();
    const reader = (await openBody(server.url)).getReader();
    await server.waitForConnection();
    server.pushRaw(sse('delete', '1'));
    // Hangs up when handleStream stops reading (its return()), as an app's generator over a response would.
    async function* chunks(): AsyncGenerator<unknown> {
      try {
        if (first) yield badChunk;
        for (let seen = ''; !seen.includes('data: 1'); ) {
          const { done, value } = await reader.read();
          if (done) return;
          seen += new TextDecoder().decode(value);
          yield value;
        }
        yield badChunk;
        server.pushRaw(sse('delete', '2'));
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        await reader.cancel();
      }
    }
    const listener = new Recorder();
    const error = await listener.handleStream(chunks() as AsyncIterable<Uint8Array>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonIllegalArgumentError);
    expect((error as Error).message).toBe(`body chunks must be bytes (Uint8Array) or text (got ${named})`);
    // The stream did end abnormally, as for a body that breaks off (onAbort); the argument error is in its causes.
    expect(listener.events()).toEqual([...(first ? [] : [['onDelete', '1', undefined]]), ['onAbort', expect.any(MastodonNetworkError)]]);
    await server.waitForConnectionCount(0);
  });

  it('rejects after onAbort when the body breaks off', async () => {
    const server = await cleanup.server();
    const body = await openBody(server.url);
    const listener = new Recorder();
    const done = listener.handleStream(body);
    await server.waitForConnection();
    server.dropConnections(undefined, { midFrame: true });
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(listener.named('onAbort')).toEqual([['onAbort', error]]);
  });
});
