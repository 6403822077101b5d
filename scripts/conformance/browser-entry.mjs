// Browser entry of the conformance suite: the page served by
// scripts/test-steps/75-browser-conformance.mjs loads this module, which
// imports the BUILT packages by their bare names (an import map points them at
// packages/*/dist, as an app's would) and runs the same cases as Node and Deno
// against the control server named in the page's `?control=` parameter.
// Results go to `window.__conformance` ({ passed, failed, lines }) for the step to read.
import * as core from '@tootstream/core';
import { ControlClient, runCases } from './harness.mjs';
import { chaosCases } from './chaos-cases.mjs';
import { listenerCases } from './listener-cases.mjs';
import { streamCases } from './stream-cases.mjs';
import { utf8Cases } from './utf8-cases.mjs';

const lines = [];
const log = (line) => {
  lines.push(line);
  console.log(line);
};

let listener;
let listenerLoadError;
try {
  listener = await import('@tootstream/listener');
} catch (error) {
  listenerLoadError = error;
}

const controlUrl = new URL(location.href).searchParams.get('control');
const only = new URL(location.href).searchParams.get('only') ?? undefined;
try {
  log(`conformance on ${navigator.userAgent}`);
  const cases = [...streamCases(core), ...utf8Cases(core), ...chaosCases(core, listener), ...listenerCases(listener, listenerLoadError)];
  // The browser sanitizer's per-case check, when the page loaded it first (scripts/browser-sanitizer/case-check.mjs).
  const caseCheck = globalThis.__conformanceCaseCheck;
  const { passed, failed } = await runCases(cases, { control: new ControlClient(controlUrl), log, filter: only, caseCheck });
  window.__conformance = { passed, failed, lines, sanitized: caseCheck !== undefined };
} catch (error) {
  log(`the suite itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  window.__conformance = { passed: 0, failed: 1, lines };
}
