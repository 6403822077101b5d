// Conformance cases of core's UTF-8 decoding in each runtime: the text path decodes chunk by chunk with the runtime's
// own TextDecoder, cutting each chunk at its last whole character, so each runtime's decoder is held to what one pass
// over the whole body gives, for malformed sequences split at every byte. The subject is the decoder, not the
// transport: a body split at chosen bytes needs an injected fetch (a socket coalesces writes), built from web APIs only.
import { assert } from './harness.mjs';

/** Each kind of malformed UTF-8 (lone, overlong, surrogate, out of range, cut short, one too many continuation bytes). */
const MALFORMED = [[0x80], [0xc0, 0xaf], [0xc2], [0xe0, 0x80, 0xaf], [0xe0, 0xa0], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82, 0x41], [0xf0, 0x9f, 0x98, 0x80, 0x80]];

/** An update whose content holds `sequence` between two two-byte characters, then a clean update; CRLF sends the stream down the CR path. */
function bodyWith(sequence, lineEnd) {
  const encode = (text) => new TextEncoder().encode(text);
  const head = encode('event: update\ndata: {"id":"1","content":"é');
  const tail = encode(`é"}${lineEnd}${lineEnd}:thump${lineEnd}event: update${lineEnd}data: {"id":"2","content":"ok"}${lineEnd}${lineEnd}`);
  return new Uint8Array([...head, ...sequence, ...tail]);
}

/** The events and errors of one stream over `chunks`, each chunk one read of the body. */
async function readAll(core, chunks, invalidUtf8) {
  const fetch = async () => {
    let index = 0;
    const body = new ReadableStream({ pull: (controller) => (index < chunks.length ? controller.enqueue(chunks[index++]) : controller.close()) });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  const errors = [];
  const client = core.createClient({ url: 'http://127.0.0.1:9', streamingUrl: 'http://127.0.0.1:9', accessToken: 'conformance', fetch });
  const options = { validate: 'off', reconnect: false, invalidUtf8, onError: (error) => errors.push(error) };
  const contents = [];
  // With reconnect off, the body's end ends the loop quietly.
  for await (const event of client.public({}, options)) contents.push(event.payload.content);
  return { contents, errors };
}

/** @param core the namespace of the built `@tootstream/core` */
export function utf8Cases(core) {
  return [
    {
      name: 'core: malformed UTF-8 split at every byte, LF and CRLF, comes out as one pass over the whole body decodes it (replaced) or is reported',
      async run() {
        for (const lineEnd of ['\n', '\r\n']) {
          for (const sequence of MALFORMED) {
            const body = bodyWith(sequence, lineEnd);
            const expected = new TextDecoder().decode(body).split('"content":"')[1].split('"}')[0];
            assert.ok(expected.includes('\uFFFD'), `the whole body's decode replaces ${sequence}`);
            const splits = Array.from({ length: body.length - 1 }, (_, index) => [body.subarray(0, index + 1), body.subarray(index + 1)]);
            for (const chunks of [...splits, Array.from(body, (byte) => Uint8Array.of(byte))]) {
              const where = `${sequence} in ${chunks.length} chunks (first ${chunks[0].length} bytes), ${JSON.stringify(lineEnd)}`;
              const replaced = await readAll(core, chunks, 'replace');
              assert.deepEqual(replaced.contents, [expected, 'ok'], `replaced: ${where}`);
              assert.equal(replaced.errors.length, 0, `replaced, no error: ${where}`);
              const reported = await readAll(core, chunks, 'report');
              assert.deepEqual(reported.contents, ['ok'], `reported: ${where}`);
              assert.deepEqual(reported.errors.map((error) => error.code), ['MALFORMED_EVENT'], `reported, one malformed event: ${where}`);
            }
          }
        }
      },
    },
  ];
}
