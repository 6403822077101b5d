// The whole `deno run` conformance suite (scripts/conformance/: core's stream
// cases, its UTF-8 decoding cases, the seeded chaos of core and the listener, the listener's cases),
// again under Deno's op and resource sanitizers, one Deno.test per case. The
// chaos server cuts, stalls, overflows and refuses connections and sends
// malformed, unknown and split events; every one of those paths must end
// without a leaked timer, read or resource.
//
// The cases close their own streams (the chaos cases close their chaos servers
// too, after checking that the server saw every connection closed).
import * as core from '../../packages/core/dist/index.js';
import * as listener from '../../packages/listener/dist/index.js';
import { chaosCases } from '../conformance/chaos-cases.mjs';
import { listenerCases } from '../conformance/listener-cases.mjs';
import { streamCases } from '../conformance/stream-cases.mjs';
import { utf8Cases } from '../conformance/utf8-cases.mjs';
import { sanitizedTest } from './support.mjs';

// Several seeds run in one case: give them the conformance runner's 30 s.
const CONFORMANCE_CASE_TIMEOUT_MS = 30_000;

for (const testCase of [...streamCases(core), ...utf8Cases(core), ...chaosCases(core, listener), ...listenerCases(listener)]) {
  sanitizedTest(`conformance: ${testCase.name}`, testCase.run, { server: testCase.server ?? {}, timeoutMs: CONFORMANCE_CASE_TIMEOUT_MS });
}
