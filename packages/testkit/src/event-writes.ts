/**
 * Chooses where one SSE event is cut into separate writes (called once per event and connection). It gets the event's complete bytes
 * (`event: X\ndata: Y\n\n`, UTF-8) and returns one offset or several; each offset starts a new
 * write (chunk). Offsets outside `1 … length - 1` are ignored, so a split may fall anywhere,
 * including inside a UTF-8 character.
 * @example
 * const middle: EventSplitter = ({ bytes }) => Math.floor(bytes.length / 2);
 */
export type EventSplitter = (event: { readonly name: string; readonly bytes: Uint8Array }) => number | readonly number[];

/** How an SSE event is written: `'two'` (4.5.7), `'one'`, or cut where a splitter says. */
export type EventWriteLayout = 'two' | 'one' | EventSplitter;

/**
 * The writes of one event in the given layout; each element becomes one chunk.
 *
 * @example
 * eventWrites('delete', '5', 'two') // [<event: delete\n>, <data: 5\n\n>]
 * eventWrites('delete', '5', () => 3) // [<eve>, <nt: delete\ndata: 5\n\n>]
 */
export function eventWrites(name: string, data: string, layout: EventWriteLayout): Buffer[] {
  const eventLine = `event: ${name}\n`;
  const dataLines = `data: ${data}\n\n`;
  if (layout === 'two') return [Buffer.from(eventLine, 'utf8'), Buffer.from(dataLines, 'utf8')];
  const bytes = Buffer.from(eventLine + dataLines, 'utf8');
  if (layout === 'one') return [bytes];
  const chosen = layout({ name, bytes: new Uint8Array(bytes) });
  const offsets = [...new Set(typeof chosen === 'number' ? [chosen] : chosen)]
    .filter((offset) => Number.isInteger(offset) && offset > 0 && offset < bytes.length)
    .sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  return pieces;
}
