import { handKit } from '../../src/chunk-loader.js';
import * as crLines from '../../src/sse-cr-lines.js';
import type { SseParser, SseParserHooks } from '../../src/sse-parser.js';
import { createTextLineParser } from '../../src/sse-text-lines.js';

/**
 * fetch-event-source's getLines → getMessages (sse-cr-lines.ts) from the stream's first byte, wired as createSseParser
 * hands a stream to it at its first CR (the kit, the strict decoder when invalid UTF-8 is reported, the text path's
 * state), here before the text path has seen anything: the tests hold both paths to the same results with it.
 */
export function getLinesParser(hooks: SseParserHooks, maxEventBytes: number, reportInvalidUtf8 = false): SseParser {
  const fatalDecoder = reportInvalidUtf8 ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : undefined;
  handKit(crLines);
  return crLines.default(hooks, maxEventBytes, fatalDecoder, createTextLineParser(hooks, maxEventBytes, reportInvalidUtf8).takePending());
}
