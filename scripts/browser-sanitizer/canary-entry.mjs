// Entry of the canary page (75-browser-conformance.mjs opens it in its own tab,
// before the suite, and closes the tab after, which ends what the canary
// leaked). Runs canary-cases.mjs through the conformance harness with the
// sanitizer's per-case check, as the suite runs, and checks the verdicts: each
// leaking case failed, naming each of its leaks and this canary's file in a
// stack, and the clean case passed. Results go to `window.__canary` ({ problems, lines }).
import { caseCheck } from './case-check.mjs';
import { ControlClient, runCases } from '../conformance/harness.mjs';
import { canaryCases } from './canary-cases.mjs';

const lines = [];
const problems = [];
try {
  await runCases(canaryCases, { control: new ControlClient(new URL(location.href).searchParams.get('control')), log: (line) => lines.push(line), caseCheck });
  for (const { name, leaks } of canaryCases) {
    const verdict = lines.find((line) => line.startsWith(`ok   ${name}`) || line.startsWith(`FAIL ${name}`));
    if (verdict === undefined) problems.push(`no verdict for "${name}"`);
    else if (leaks.length === 0 && !verdict.startsWith('ok')) problems.push(`"${name}" must pass, but: ${verdict}`);
    else if (leaks.length > 0 && !verdict.startsWith('FAIL')) problems.push(`"${name}" must fail naming ${leaks.join(', ')}, but it passed`);
    else if (leaks.length > 0) {
      for (const leak of [...leaks, 'canary-cases.mjs']) if (!verdict.includes(leak)) problems.push(`"${name}" failed without naming ${leak}: ${verdict}`);
    }
  }
} catch (error) {
  problems.push(`the canary itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
window.__canary = { problems, lines };
