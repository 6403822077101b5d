// A server for the child processes that check Node's fetch bug with undecodable answers (exit-after-undecodable.mjs
// here and in the listener): streams on the public stream path, and answers the REST paths `isUndecodable` picks with
// more content codings than Node's fetch accepts, held open as a hostile server holds them.
import { createServer } from 'node:http';

/**
 * Starts the server on 127.0.0.1 and resolves with its URL.
 * @param {{ isUndecodable: (path: string) => boolean, streamBody: (connection: number) => string | undefined }} script
 *   `streamBody` gives the nth stream connection's whole body (the connection then ends), or undefined to keep it open.
 */
export async function startUndecodableServer({ isUndecodable, streamBody }) {
  let connections = 0;
  const server = createServer((request, response) => {
    if (request.url.startsWith('/api/v1/streaming/public')) {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const body = streamBody(++connections);
      if (body === undefined) response.write(':)\n');
      else response.end(body);
      return;
    }
    if (isUndecodable(request.url)) {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip, gzip, gzip, gzip, gzip, gzip', 'Transfer-Encoding': 'chunked' });
      response.flushHeaders();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}
