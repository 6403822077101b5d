import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonNetworkError } from '../src/errors.js';

// The connection reads up to four chunks ahead of the consumer (so Node's fetch does not pause and copy its buffers for
// every chunk), and no further. What a consumer sees (every event read ahead is delivered, then the error or the end)
// is tested against the testkit's HTTP server. How far ahead it reads cannot be seen over a socket (the kernel buffers
// whatever the client does not read), so that one case keeps a hand-made body whose pulls are counted.

const CHUNK_EVENTS = 4;
const TOKEN = 'peer-test-token';

function eventText(index: number): string {
  return `event: update\ndata: ${JSON.stringify({ id: String(1000 + index), content: 'x'.repeat(900) })}\n\n`;
}

/** A fetch whose body hands out `chunks` chunks of four ~1 KB events, one per pull, then ends. */
function countingFetch(chunks: number) {
  const body = { pulledChunks: 0 };
  const encoder = new TextEncoder();
  const fetch = async () =>
    new Response(
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (body.pulledChunks === chunks) return controller.close();
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

let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A public stream on the fake with `count` statuses posted at once; the consumer takes the first, then stops pulling
 * while `cut` (a crash or a clean end) cuts the connection, then takes the rest: their ids, and what ended the loop.
 */
async function statusesThenCut(count: number, cut: (fake: FakeMastodon) => void) {
  server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  const stream = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN }).public({}, { reconnect: false, stallTimeoutMs: 0, validate: 'off' });
  const iterator = stream[Symbol.asyncIterator]();
  const first = iterator.next();
  await server.waitForConnection();
  const posted = Array.from({ length: count }, () => server!.postStatus({ content: `<p>${'x'.repeat(900)}</p>` }).id);
  await first;
  cut(server);
  // Let the client read the cut while the events wait: 12 statuses are a few socket reads, within the four read ahead.
  // (Nothing public shows when it did; the stream's state changes only when the consumer gets there.)
  await server.waitForConnectionCount(0);
  await settle();
  const ids: string[] = [];
  let failure: unknown;
  try {
    for (let next = await first; !next.done; next = await iterator.next()) if (next.value.event === 'update') ids.push(next.value.payload.id);
  } catch (error) {
    failure = error;
  }
  return { posted, ids, failure };
}

describe('reading ahead of the consumer', () => {
  it('stops four chunks ahead of a consumer that stops pulling, and resumes once all are taken', async () => {
    const { body, fetch } = countingFetch(1000);
    const client = createClient({ url: 'http://mastodon.test/', streamingUrl: 'http://mastodon.test', accessToken: 'x', fetch });
    const iterator = client.public({}, { reconnect: false, stallTimeoutMs: 0, validate: 'off' })[Symbol.asyncIterator]();
    await iterator.next();
    // One chunk went to the parser, up to four wait (and at most one read is in flight). Waited for rather than
    // given a fixed time, so a loaded machine reading slowly does not fail the lower bound.
    await vi.waitFor(() => expect(body.pulledChunks).toBeGreaterThanOrEqual(4), { timeout: 5_000, interval: 5 });
    await settle();
    expect(body.pulledChunks).toBeLessThanOrEqual(6);
    const pulledWhileIdle = body.pulledChunks;
    await settle();
    expect(body.pulledChunks).toBe(pulledWhileIdle);
    // Taking everything read ahead (and one more event) starts reading again.
    for (let taken = 1; taken <= pulledWhileIdle * CHUNK_EVENTS; taken++) await iterator.next();
    await vi.waitFor(() => expect(body.pulledChunks).toBeGreaterThan(pulledWhileIdle), { timeout: 5_000, interval: 5 });
    await iterator.return?.();
  });

  it('delivers every event read before a network error, then the error', async () => {
    const { posted, ids, failure } = await statusesThenCut(12, (fake) => fake.dropConnections());
    expect(ids).toEqual(posted);
    expect(failure).toBeInstanceOf(MastodonNetworkError);
  });

  it('ends cleanly after the last event read ahead', async () => {
    const { posted, ids, failure } = await statusesThenCut(12, (fake) => fake.endStreams());
    expect(ids).toEqual(posted);
    expect(failure).toBeUndefined();
  });
});
