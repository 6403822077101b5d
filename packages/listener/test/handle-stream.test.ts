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
