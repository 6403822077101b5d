// Node side of the browser sanitizer's reports: a stack line from the page
// names a file by its URL on the step's server and a position in the BUILT
// package. This rewrites such a URL as the file's path in the repository and,
// where the file has a source map (the packages' dist does), adds the source
// file and line it was built from, so a leak's report reads
// `packages/core/dist/index.js:1208:67 [packages/core/src/client.ts:77]`.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * `pageUrl`: the origin the page was served from; `roots`: its URL prefixes
 * and the directories they serve. Returns a function that rewrites a text.
 */
export function createStackMapper({ pageUrl, roots, repoRoot }) {
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      const mapFile = `${file}.map`;
      maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
    }
    return maps.get(file);
  };
  const escaped = pageUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const positions = new RegExp(`${escaped}(/[^\\s:)]+):(\\d+):(\\d+)`, 'g');

  return (text) =>
    text.replace(positions, (whole, path, line, column) => {
      const root = roots.find(({ prefix }) => path.startsWith(prefix));
      if (root === undefined) return whole;
      const file = join(root.dir, decodeURIComponent(path.slice(root.prefix.length)));
      const at = `${relative(repoRoot, file)}:${line}:${column}`;
      const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
      if (!entry?.originalSource) return at;
      return `${at} [${relative(repoRoot, join(dirname(file), entry.originalSource))}:${entry.originalLine + 1}]`;
    });
}
