/**
 * One TCP read of a recorded stream: when it arrived (ms since the connection was established)
 * and its exact bytes.
 *
 * @example
 * const opener: RecordedChunk = { atMs: 4, bytes: Buffer.from('3\r\n:)\n\r\n') };
 */
export interface RecordedChunk {
  atMs: number;
  bytes: Uint8Array;
}

const TEXT_LINE = /^\+\s*(\d+(?:\.\d+)?)ms ("(?:[^"\\]|\\.)*")$/;
// Not in the 4.5.7 captures: a read that is not valid UTF-8 on its own (a character split across
// two reads) cannot be a JSON string without losing bytes, so it is written as hex instead.
const HEX_LINE = /^\+\s*(\d+(?:\.\d+)?)ms 0x((?:[0-9a-f]{2})*)$/;
// ignoreBOM keeps a leading EF BB BF as text instead of silently dropping three bytes.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses the fixtures' `.reads.txt` timeline: one line per read, `+<ms since connect>ms "<bytes
 * as a JSON string>"`, the ms right-aligned to six columns. Lines of the form `+<ms>ms 0x<hex>`
 * (written by {@link formatReads} for reads that split a UTF-8 character) are accepted too;
 * blank lines are skipped, anything else throws with its line number.
 *
 * @example
 * const chunks = parseReads(readFileSync('sse-public.reads.txt', 'utf8'));
 * Buffer.concat(chunks.map((chunk) => chunk.bytes)); // the bytes of sse-public.raw
 */
export function parseReads(text: string): RecordedChunk[] {
  const chunks: RecordedChunk[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const asText = TEXT_LINE.exec(line);
    if (asText?.[1] && asText[2]) {
      chunks.push({ atMs: Number(asText[1]), bytes: Buffer.from(JSON.parse(asText[2]) as string, 'utf8') });
      return;
    }
    const asHex = HEX_LINE.exec(line);
    if (asHex?.[1] && asHex[2] !== undefined) {
      chunks.push({ atMs: Number(asHex[1]), bytes: Buffer.from(asHex[2], 'hex') });
      return;
    }
    throw new Error(`reads timeline line ${index + 1} is neither +<ms>ms "<json>" nor +<ms>ms 0x<hex>: ${line.slice(0, 80)}`);
  });
  return chunks;
}

function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Writes chunks in the `.reads.txt` format, byte for byte as the fixtures are laid out (rounded
 * ms padded to six columns, JSON string escapes, non-ASCII text kept as UTF-8, a final LF), so
 * `formatReads(parseReads(text)) === text` for every capture.
 *
 * @example
 * writeFileSync('mine.reads.txt', formatReads(recording.chunks));
 */
export function formatReads(chunks: readonly RecordedChunk[]): string {
  return chunks
    .map((chunk) => {
      const ms = String(Math.round(chunk.atMs)).padStart(6);
      const text = utf8Text(chunk.bytes);
      return text === undefined ? `+${ms}ms 0x${Buffer.from(chunk.bytes).toString('hex')}\n` : `+${ms}ms ${JSON.stringify(text)}\n`;
    })
    .join('');
}
