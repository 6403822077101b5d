import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonNetworkError } from '../src/errors.js';

// The connection reads up to four chunks ahead of the consumer (so Node's
// fetch does not pause and copy its buffers for every chunk), and no further:
// these tests drive it with a body whose reads are counted.

const CHUNK_EVENTS = 4;

function eventText(index: number): string {
  return `event: update\ndata: ${JSON.stringify({ id: String(1000 + index), content: 'x'.repeat(900) })}\n\n`;
}

/** A fetch whose body hands out `chunks` chunks of four ~1 KB events, one per pull, then ends or fails. */
function countingFetch(chunks: number, ending: 'close' | 'error' = 'close') {
  const body = { pulledChunks: 0 };
  const encoder = new TextEncoder();
  const fetch = async () =>
    new Response(
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (body.pulledChunks === chunks) {
              if (ending === 'close') controller.close();
              else controller.error(new TypeError('terminated'));
              return;
            }
            let text = body.pulledChunks === 0 ? ':)\n' : '';
            for (let index = 0; index < CHUNK_EVENTS; index++) text += eventText(body.pulledChunks * CHUNK_EVENTS + index);
            const bytes = encoder.encode(text);
            body.pulledChunks++;
            controller.enqueue(bytes);
          },
        },
        { highWaterMark: 0 },
      ),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  return { body, fetch: fetch as unknown as typeof globalThis.fetch };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('reading ahead of the consumer', () => {
  it('stops four chunks ahead of a consumer that stops pulling, and resumes once all are taken', async () => {
    const { body, fetch } = countingFetch(1000);
    const client = createClient({ url: 'http://mastodon.test/', streamingUrl: 'http://mastodon.test', accessToken: 'x', fetch });
    const iterator = client.public({}, { reconnect: false, stallTimeoutMs: 0, validate: 'off' })[Symbol.asyncIterator]();
    await iterator.next();
    await settle();
    // One chunk went to the parser, up to four wait (and at most one read is in flight).
    expect(body.pulledChunks).toBeGreaterThanOrEqual(4);
    expect(body.pulledChunks).toBeLessThanOrEqual(6);
    const pulledWhileIdle = body.pulledChunks;
    await settle();
    expect(body.pulledChunks).toBe(pulledWhileIdle);
    // Taking everything read ahead (and one more event) starts reading again.
    for (let taken = 1; taken <= pulledWhileIdle * CHUNK_EVENTS; taken++) await iterator.next();
    await settle();
    expect(body.pulledChunks).toBeGreaterThan(pulledWhileIdle);
    await iterator.return?.();
  });

  it('delivers every event read before a network error, then the error', async () => {
    const { fetch } = countingFetch(30, 'error');
    const client = createClient({ url: 'http://mastodon.test/', streamingUrl: 'http://mastodon.test', accessToken: 'x', fetch });
    const ids: string[] = [];
    let failure: unknown;
    try {
      for await (const event of client.public({}, { reconnect: false, stallTimeoutMs: 0, validate: 'off' })) {
        if (event.event === 'update') ids.push(event.payload.id);
        // A slow consumer, so that the error arrives while events wait.
        if (ids.length % CHUNK_EVENTS === 0) await settle();
      }
    } catch (error) {
      failure = error;
    }
    expect(ids).toEqual(Array.from({ length: 30 * CHUNK_EVENTS }, (_, index) => String(1000 + index)));
    expect(failure).toBeInstanceOf(MastodonNetworkError);
  });

  it('ends cleanly after the last chunk read ahead', async () => {
    const { fetch } = countingFetch(25);
    const client = createClient({ url: 'http://mastodon.test/', streamingUrl: 'http://mastodon.test', accessToken: 'x', fetch });
    let count = 0;
    for await (const event of client.public({}, { reconnect: false, stallTimeoutMs: 0, validate: 'off' })) if (event.event === 'update') count++;
    expect(count).toBe(25 * CHUNK_EVENTS);
  });
});
