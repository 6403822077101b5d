import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../testkit/fixtures/real-mastodon-4.5.7/', import.meta.url));

/** The exact bytes of a captured HTTP response, split into head and de-chunked body. */
export function loadSseFixture(name: string): { raw: Uint8Array; head: string; body: Uint8Array } {
  const raw = new Uint8Array(readFileSync(FIXTURE_DIR + name));
  const text = Buffer.from(raw).toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.slice(0, headEnd);
  const body: number[] = [];
  let position = headEnd + 4;
  while (position < raw.length) {
    const lineEnd = text.indexOf('\r\n', position);
    if (lineEnd === -1) break;
    const size = Number.parseInt(text.slice(position, lineEnd), 16);
    if (Number.isNaN(size) || size === 0) break;
    for (let index = 0; index < size; index++) body.push(raw[lineEnd + 2 + index] as number);
    position = lineEnd + 2 + size + 2;
  }
  return { raw, head, body: new Uint8Array(body) };
}

export const SSE_FIXTURES = [
  'sse-user.raw',
  'sse-user-notification.raw',
  'sse-public.raw',
  'sse-public-local-qs.raw',
  'sse-hashtag.raw',
  'sse-hashtag-local.raw',
  'sse-list.raw',
  'sse-direct.raw',
  'sse-kill.raw',
] as const;
