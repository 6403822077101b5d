// Run as a child process, against the built packages. Node's fetch (undici, Node 20 and 24) rejects a response with
// more than five content codings, and if the signal of that rejected fetch is aborted later, an 'error' event nobody
// listens to ends the process. Here the instance document a public stream's feed check reads is such a response (held
// open, as a hostile server holds it), with no request timeout (Infinity); the stream then ends by its signal. The process
// must survive that abort. (Node keeps the rejected request's socket, so it is told to exit once the abort is over.)
import { Mastodon, StreamListener } from '../../dist/index.js';
import { startUndecodableServer } from '../../../core/test/support/undecodable-server.mjs';

const url = await startUndecodableServer({ isUndecodable: (path) => path.endsWith('/instance'), streamBody: () => undefined });

const controller = new AbortController();
const mastodon = new Mastodon({ apiBaseUrl: url, streamingUrl: url, accessToken: 'peer-test-token', requestTimeout: Infinity });
const done = mastodon.streamPublic(new StreamListener(), { signal: controller.signal }).then(() => 'resolved', (error) => error.name);
// The checks have given up on the document and the stream is open by then.
await new Promise((resolve) => setTimeout(resolve, 300));
controller.abort();
console.log(`ended: ${await done}`);
// An 'error' event from the aborted request would come within a few ticks.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log('survived the abort');
process.exit(0);
