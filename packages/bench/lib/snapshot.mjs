// A private copy of the built packages for the length of one run. The
// children import core and the listener from here, so every row measures the
// same build even if packages/*/dist is rebuilt while the bench runs (other
// work in the monorepo does that), and a half-written dist never breaks a row.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
export const SNAPSHOT_ENV = 'TOOTSTREAM_BENCH_PACKAGES';

/** Copies package.json + dist of each built package and links their installed dependencies. */
export function snapshotBuiltPackages() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tootstream-bench-'));
  const modules = path.join(root, 'node_modules');
  const built = [];
  for (const name of ['core', 'listener']) {
    const source = path.join(packagesDir, name);
    if (!existsSync(path.join(source, 'dist/index.js'))) continue;
    const target = path.join(modules, '@tootstream', name);
    mkdirSync(target, { recursive: true });
    cpSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
    cpSync(path.join(source, 'dist'), path.join(target, 'dist'), { recursive: true });
    linkDependencies(path.join(source, 'node_modules'), modules);
    // An entry module at the root resolves the bare name against the copy.
    writeFileSync(path.join(root, `${name}.mjs`), `export * from '@tootstream/${name}';\n`);
    built.push(name);
  }
  return { root, built, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function linkDependencies(installed, modules) {
  if (!existsSync(installed)) return;
  for (const entry of readdirSync(installed)) {
    if (entry === '.bin' || entry === '@tootstream') continue;
    const names = entry.startsWith('@') ? readdirSync(path.join(installed, entry)).map((name) => `${entry}/${name}`) : [entry];
    for (const name of names) {
      const link = path.join(modules, name);
      if (existsSync(link)) continue;
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(realpathSync(path.join(installed, name)), link);
    }
  }
}

/** Imports a package from the run's snapshot, or normally when run outside `run.mjs`. */
export function importBuilt(name) {
  const root = process.env[SNAPSHOT_ENV];
  return root ? import(pathToFileURL(path.join(root, `${name}.mjs`)).href) : import(`@tootstream/${name}`);
}
