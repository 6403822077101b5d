// One on-demand chunk for three rare paths: the mapping of the errors only a server that answered causes
// (error-mapping.ts), the dispatch of events core does not know (dispatch.ts), and handleStream's glue
// (stream-listener.ts). Every import() target is a file name with a content hash in the up-front code, which gzip
// cannot shorten: one name for the three is about 40 B gzipped less for every browser that streams, for a few hundred
// bytes more on whichever of these paths runs first (the others then need no request). Like every on-demand module
// this imports nothing the entry loads (README: "What loads up front").
export { dispatchUnknown } from './dispatch-unknown.js';
export { fromServerError } from './error-mapping-server.js';
export { handleStream } from './handle-stream.js';
