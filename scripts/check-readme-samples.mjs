// The READMEs' code samples are what users paste first, and nothing else compiles them: a sample that
// calls a method, option or export that does not exist (or with the wrong type) would stay wrong until
// a user hit it. This extracts every fenced ts/typescript/js/javascript/mjs block of the READMEs and
// type-checks them all in one TypeScript program, with tsconfig.json's strict options and `paths`
// (so `@tootstream/*` resolves to the sources, as the other type checks do). Each block is its own
// module; TypeScript blocks are checked as TypeScript, JavaScript blocks as JavaScript with checkJs
// (minus the implicit-any errors: a JavaScript user's untyped parameter is not a mistake).
//
// Fragments lean on names that an earlier block or the prose around them defines (`client`, `server`,
// `TOKEN`, the testkit's functions imported by the block above). PRELUDE declares those, as globals:
// a block that declares or imports the same name itself shadows them. A block that is not code a user
// would paste can be skipped with `<!-- not type-checked: <why> -->` on the line before its fence.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const READMES = ['README.md', 'packages/core/README.md', 'packages/listener/README.md', 'packages/testkit/README.md', 'examples/README.md'];
const TS_TAGS = new Set(['ts', 'typescript']);
const JS_TAGS = new Set(['js', 'javascript', 'mjs']);
const JS_IMPLICIT_ANY = new Set([7005, 7006, 7008, 7019, 7031, 7034]);
const SKIP_MARKER = /^<!--\s*not type-checked:\s*(.+?)\s*-->$/;

const PRELUDE = `// Names the READMEs' fragments take from their prose or an earlier block.
import type { MastodonClient } from '@tootstream/core';
import type * as testkit from '@tootstream/testkit';
declare global {
  /** core README: the \`client\` of the first sample, \`createClient({ url, accessToken })\`. */
  const client: MastodonClient;
  /** listener README's migration table: the token the Python column reads as \`TOKEN\`. */
  const TOKEN: string;
  /** testkit README: the fake server of the samples before, \`await createFakeMastodon()\`. */
  const server: testkit.FakeMastodon;
  /** testkit README: "your code", the bot under test. */
  function startMyBot(options: { url: string; token: string }): { stop(): Promise<void> };
  /** testkit README: what its first samples import from '@tootstream/testkit'. */
  type RecordedRequest = testkit.RecordedRequest;
  const createFakeMastodon: typeof testkit.createFakeMastodon;
  const createChaosServer: typeof testkit.createChaosServer;
  const recordStream: typeof testkit.recordStream;
  const formatReads: typeof testkit.formatReads;
  const readRealCapture: typeof testkit.readRealCapture;
}
export {};
`;

/** Every fenced block of one README: { file, line (of its first code line), indent, lang, code, skip? }. */
function extractBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, tag] = open;
    const end = lines.findIndex((line, j) => j > i && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '');
    if (end === -1) throw new Error(`${file}:${i + 1}: code fence never closed`);
    const previous = lines.slice(0, i).reverse().find((line) => line.trim() !== '') ?? '';
    const lang = tag.toLowerCase();
    if (TS_TAGS.has(lang) || JS_TAGS.has(lang)) {
      const code = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
      blocks.push({ file, line: i + 2, indent: indent.length, lang, code: code.join('\n'), skip: SKIP_MARKER.exec(previous.trim())?.[1] });
    }
    i = end;
  }
  return blocks;
}

const blocks = READMES.flatMap(extractBlocks);
const skipped = blocks.filter((block) => block.skip !== undefined);
const checked = blocks.filter((block) => block.skip === undefined);
// A README with samples whose count falls to zero lost them to a broken fence or a retagged block, unchecked.
// examples/README.md holds commands and output only (its sh and text blocks are not extracted).
const READMES_WITH_SAMPLES = READMES.filter((file) => file !== 'examples/README.md');
const withoutSamples = READMES_WITH_SAMPLES.filter((file) => !checked.some((block) => block.file === file));
if (withoutSamples.length > 0) {
  console.error(`check-readme-samples: no ts/js code block to check in ${withoutSamples.join(', ')} (${skipped.length} marked not type-checked in all): is the extraction broken, or were its samples' fences retagged?`);
  process.exit(1);
}

// The repository's own compiler options (strict, exactOptionalPropertyTypes, paths, lib, types).
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
const options = { ...config.options, noEmit: true, allowJs: true, checkJs: true };

// Each block becomes an in-memory module beside the READMEs (so `paths` and `types` resolve as in the repo).
const virtual = new Map();
const preludeName = join(root, '.readme-samples', 'prelude.d.ts');
virtual.set(preludeName, PRELUDE);
const byFileName = new Map();
for (const block of checked) {
  const extension = TS_TAGS.has(block.lang) ? 'ts' : 'mjs';
  const name = join(root, '.readme-samples', `${block.file.replaceAll('/', '_')}.${block.line}.${extension}`);
  virtual.set(name, `${block.code}\nexport {};\n`); // a module, whatever it imports: its names stay its own
  byFileName.set(name, block);
}
const host = ts.createCompilerHost(options);
const readFile = host.readFile.bind(host);
const getSourceFile = host.getSourceFile.bind(host);
host.fileExists = ((fileExists) => (name) => virtual.has(name) || fileExists(name))(host.fileExists.bind(host));
host.readFile = (name) => virtual.get(name) ?? readFile(name);
host.getSourceFile = (name, languageVersion, ...rest) =>
  virtual.has(name) ? ts.createSourceFile(name, virtual.get(name), languageVersion, true) : getSourceFile(name, languageVersion, ...rest);

const program = ts.createProgram([preludeName, ...byFileName.keys()], options, host);
const failures = [];
for (const name of [preludeName, ...byFileName.keys()]) {
  const sourceFile = program.getSourceFile(name);
  for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
    if (name.endsWith('.mjs') && JS_IMPLICIT_ANY.has(diagnostic.code)) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
    const block = byFileName.get(name);
    if (!block || diagnostic.start === undefined) {
      failures.push(`${block ? `${block.file}:${block.line}` : 'PRELUDE in scripts/check-readme-samples.mjs'}: TS${diagnostic.code}: ${message}`);
      continue;
    }
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    const lineText = block.code.split('\n')[line] ?? '';
    failures.push(`${block.file}:${block.line + line}:${character + 1 + block.indent} (${block.lang} block at line ${block.line - 1}): TS${diagnostic.code}: ${message}\n    | ${lineText.trim()}`);
  }
}
for (const block of skipped) console.log(`check-readme-samples: not checked, ${block.file}:${block.line - 1}: ${block.skip}`);
if (failures.length > 0) {
  console.error(`check-readme-samples: ${failures.length} error(s) in the READMEs' code samples:\n${failures.join('\n')}`);
  process.exit(1);
}
const perFile = READMES.map((file) => `${file} ${checked.filter((block) => block.file === file).length}`).join(', ');
console.log(`check-readme-samples: ${checked.length} README code blocks type-check (${perFile}); ${skipped.length} marked not type-checked`);
