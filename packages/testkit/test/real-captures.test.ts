import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REAL_SSE_CAPTURES, parseReads, readRealCapture } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// Users replay the real 4.5.7 captures against their own clients, so the captures ship with the
// package and are read by name, not by a path into this repository.

const perTest = useFakeServer();

const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
  files: string[];
  exports: Record<string, unknown>;
};

describe('readRealCapture', () => {
  it('reads every SSE capture the repository holds, as .reads.txt text', () => {
    expect(REAL_SSE_CAPTURES).toHaveLength(9);
    for (const name of REAL_SSE_CAPTURES) {
      const chunks = parseReads(readRealCapture(name));
      expect(Buffer.from(chunks[0]?.bytes ?? []).toString('latin1'), name).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
  });

  it('names the captures when asked for an unknown one', () => {
    expect(() => readRealCapture('sse-nope' as 'sse-user')).toThrow(/unknown capture 'sse-nope'.*sse-direct.*sse-user/);
  });

  it('the shipped fixtures README points at nothing outside the package', () => {
    // Vendored by scripts/vendor-fixtures.mjs, which turns the source's `../../spec/…` paths
    // (they resolve only next to the project's shared specs) into plain text.
    const folder = fileURLToPath(new URL('../fixtures/real-mastodon-4.5.7/', import.meta.url));
    const text = readFileSync(`${folder}README.md`, 'utf8');
    expect(text.match(/[^\s`(]*\.\.\/[^\s`)]*/g) ?? []).toEqual([]);
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      expect(existsSync(`${folder}${target}`), target).toBe(true);
    }
    expect(text).toContain('`protocol.md` of the tootstream specifications (not shipped with this package)');
  });

  it('the package ships the captures it reads', () => {
    expect(manifest.files).toContain('fixtures/real-mastodon-4.5.7/*.reads.txt');
    expect(manifest.exports['./fixtures/*']).toBe('./fixtures/*');
  });

  it('a replayed capture reaches a client as the real server sent it', async () => {
    const server = await perTest.start();
    server.replayNext(readRealCapture('sse-user'), { timeScale: 0.001 });
    const response = await fetch(`${server.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer anything' } });
    expect(response.headers.get('x-powered-by')).toBe('Express');
    // The capture ends with the connection still open, so read until its last event.
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: notification\n')) text += (await reader.read()).value ?? '';
    expect(text.startsWith(':)\n')).toBe(true);
    await reader.cancel();
  });
});
