import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Vendored copy of the captures, so the tests run from a clean clone.
const FIXTURES = fileURLToPath(new URL('../fixtures/real-mastodon-4.5.7', import.meta.url));

/** Bytes of a `.raw` capture, decoded as UTF-8 (SSE captures are text). */
export function readRaw(name: string): string {
  return readFileSync(`${FIXTURES}/${name}.raw`).toString('utf8');
}

/** A fixture text file. */
export function readFixtureText(name: string): string {
  return readFileSync(`${FIXTURES}/${name}`, 'utf8');
}

/** The TCP reads of a `.reads.txt` timeline, as strings. */
export function readReads(name: string): Array<{ ms: number; bytes: string }> {
  return readFixtureText(`${name}.reads.txt`)
    .split('\n')
    .filter((line) => line.startsWith('+'))
    .map((line) => {
      const match = /^\+\s*(\d+)ms (".*")$/.exec(line);
      if (!match?.[1] || !match[2]) throw new Error(`bad reads line: ${line}`);
      return { ms: Number(match[1]), bytes: JSON.parse(match[2]) as string };
    });
}

/** Events (name + data text) of a de-chunked SSE body. Comments are skipped. */
export function sseEvents(body: string): Array<{ event: string; data: string }> {
  const events: Array<{ event: string; data: string }> = [];
  for (const block of body.split('\n\n')) {
    let event: string | undefined;
    let data: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (event !== undefined && data !== undefined) events.push({ event, data });
  }
  return events;
}

/**
 * One `http-errors.txt` / `http-misc.txt` section: the title line and the de-chunked response
 * (the fixture shows headers with LF and the body without framing).
 */
export function httpSections(name: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = readFixtureText(name).split(/^### /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return sections;
}
