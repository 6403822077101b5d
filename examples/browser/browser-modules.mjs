// Which files the page may load, and the import map that names them. The
// page imports `@tootstream/core` by its bare name, exactly as an app would;
// the import map points that name at the BUILT package (packages/core/dist)
// and its dependencies (ky, valibot) at their own ESM builds in node_modules.
// No bundler: the browser loads the same files npm would install.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Finds `name` in node_modules the way Node does: from `fromDir` upwards. */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`Cannot find ${name} from ${fromDir}; run pnpm install`);
  }
}

/** The ESM entry of a package: exports["."] import/default condition, else module/main. */
function esmEntry(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let target = manifest.exports?.['.'] ?? manifest.exports;
  for (let depth = 0; target && typeof target === 'object' && depth < 4; depth++) {
    target = target.browser ?? target.import ?? target.default;
  }
  const entry = typeof target === 'string' ? target : (manifest.module ?? manifest.main ?? 'index.js');
  return join(dir, entry);
}

/**
 * URL prefix → directory on disk, for every module the page may import.
 * Each package's whole entry directory is served so its relative imports work.
 */
export function browserModules() {
  const coreDir = join(repoRoot, 'packages/core');
  const coreEntry = join(coreDir, 'dist/index.js');
  if (!existsSync(coreEntry)) throw new Error('packages/core/dist is missing: run `node scripts/build.mjs` first');
  const modules = [
    { name: '@tootstream/core', entry: coreEntry },
    { name: 'ky', entry: esmEntry(packageDir('ky', coreDir)) },
    { name: 'valibot', entry: esmEntry(packageDir('valibot', coreDir)) },
  ];
  return modules.map(({ name, entry }) => {
    const prefix = `/modules/${name}/`;
    const file = entry.slice(dirname(entry).length + 1);
    return { name, prefix, dir: dirname(entry), url: prefix + file };
  });
}

/** `<script type="importmap">` for the page. */
export function importMapTag(modules) {
  const imports = Object.fromEntries(modules.map((module) => [module.name, module.url]));
  return `<script type="importmap">${JSON.stringify({ imports }, null, 2)}</script>`;
}

/** Maps a request path to a file under one of `roots` (prefix → dir), refusing anything outside them. */
export function fileForPath(pathname, roots) {
  for (const { prefix, dir } of roots) {
    if (!pathname.startsWith(prefix)) continue;
    const file = resolve(dir, `.${sep}${decodeURIComponent(pathname.slice(prefix.length))}`);
    if (file === dir || !file.startsWith(dir + sep)) return undefined;
    return file;
  }
  return undefined;
}
