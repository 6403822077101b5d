import { createServer, type Server } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { createClient } from '../src/client.js';

// A server that writes Mastodon's framing as fast as the socket takes it and
// stops when `write()` reports a full buffer until 'drain', so the test sees
// the client stop reading through TCP flow control. (Mastodon's own streaming
// server ignores write()'s answer and buffers in memory instead, as the
// testkit does; what this proves is the client's bound, not the server's.)
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

const TOTAL = 50_000;

function statusJson(index: number): string {
  const id = String(117693793801674262n + BigInt(index));
  return JSON.stringify({
    id,
    created_at: '2026-11-28T11:19:33.000Z',
    content: `<p>${'status text with some length '.repeat(20)}${index}</p>`,
    visibility: 'public',
    account: { id: '1001', acct: 'alice', username: 'alice', display_name: 'Alice Peer' },
    reblog: null,
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
  });
}

it('a slow consumer holds bounded memory while the server pushes 50,000 events', async () => {
  let written = 0;
  server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream' });
    response.write(':)\n');
    const pump = () => {
      while (written < TOTAL) {
        written++;
        response.write('event: update\n');
        if (!response.write(`data: ${statusJson(written)}\n\n`)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    pump();
    request.on('close', () => response.destroy());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = createClient({ url, streamingUrl: url, accessToken: 'x' });

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let consumed = 0;
  let largestLead = 0;
  let peakHeap = heapBefore;
  for await (const event of client.public({}, { reconnect: false })) {
    if (event.event !== 'update') throw new Error(`unexpected ${event.event}`);
    consumed++;
    largestLead = Math.max(largestLead, written - consumed);
    if (consumed % 100 === 0) {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  expect(consumed).toBe(TOTAL);
  // Without backpressure the server would write all 50,000 (~40 MB) before the
  // consumer reached a few hundred. With it, only socket buffers are ahead.
  expect(largestLead).toBeLessThan(TOTAL / 4);
  expect(peakHeap - heapBefore).toBeLessThan(40 * 1024 * 1024);
  console.log(`largest lead of the server: ${largestLead} events; peak heap growth ${((peakHeap - heapBefore) / 1048576).toFixed(1)} MB`);
}, 60_000);
