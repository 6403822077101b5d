// Source maps of the built packages, as users' tools read them. tsup's tree-shaking pass appends its own
// `//# sourceMappingURL=` after esbuild's, so every file named its map twice: the duplicate is removed. And a map
// must carry the content of every source it names, since the sources themselves are not published (a map naming
// a missing file with no content makes Vite warn and debuggers show nothing): the build fails otherwise.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mends and checks the source maps in `distDir`; returns what is wrong, for the build to fail on. */
export function settleSourceMaps(distDir) {
  const problems = [];
  for (const file of readdirSync(distDir)) {
    const path = join(distDir, file);
    if (file.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      const mended = text.replace(/(\n\/\/# sourceMappingURL=[^\n]+)(?:\n\/\/# sourceMappingURL=[^\n]+)+(\n?)$/, '$1$2');
      if (mended !== text) writeFileSync(path, mended);
    } else if (file.endsWith('.js.map')) {
      const map = JSON.parse(readFileSync(path, 'utf8'));
      map.sources.forEach((source, index) => {
        if (typeof map.sourcesContent?.[index] !== 'string') problems.push(`${path}: no content for ${source}`);
      });
    }
  }
  return problems;
}
