// One on-demand chunk for three rare paths: the mapping of the errors only a server that answered causes
// (error-mapping.ts), the dispatch of events core does not know (dispatch.ts), and handleStream's glue
// (stream-listener.ts). Each import() target's file name is up-front text, and so is the chunk loading around it: one
// chunk for the three is 36 B gzipped less for every browser that streams (measured with the plain chunk names the
// build gives; 55 B when they carried content hashes), for a few hundred bytes more on whichever of these paths runs
// first (the others then need no request). Like every on-demand module this imports nothing the entry loads (README:
// "What loads up front").
export { dispatchUnknown } from './dispatch-unknown.js';
export { fromServerError } from './error-mapping-server.js';
export { handleStream } from './handle-stream.js';
