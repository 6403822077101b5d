// Copies the real Mastodon 4.5.7 captures into this package (fixtures/real-mastodon-4.5.7), the
// copy that tests read and that npm ships. Capture files are copied byte for byte. The README is
// rewritten on the way: it points at the project's specifications with paths relative to its
// source location (`../../spec/protocol.md`), which resolve neither from this package's folder
// nor from the published package, so those references become plain text naming the file.
//
//   node packages/testkit/scripts/vendor-fixtures.mjs <source folder of real-mastodon-4.5.7>
import { copyFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = fileURLToPath(new URL('../fixtures/real-mastodon-4.5.7/', import.meta.url));
const NOT_SHIPPED = 'of the tootstream specifications (not shipped with this package)';

/**
 * The README as shipped: `../…/spec/name.md` in code spans and Markdown links becomes
 * "`name.md` of the tootstream specifications (not shipped with this package)". Any other
 * reference that climbs out of the fixtures folder is refused, so a new one is noticed here
 * rather than shipped broken.
 *
 * @example
 * rewriteFixturesReadme('See `../../spec/protocol.md`.') // 'See `protocol.md` of the tootstream specifications (not shipped with this package).'
 */
export function rewriteFixturesReadme(text) {
  const rewritten = text
    .replace(/\[([^\]]*)\]\((?:\.\.\/)+spec\/([^)#\s]+)(?:#[^)]*)?\)/g, (_, label, file) => `${label} (\`${file}\` ${NOT_SHIPPED})`)
    .replace(/`(?:\.\.\/)+spec\/([^`\s]+)`/g, (_, file) => `\`${file}\` ${NOT_SHIPPED}`);
  const leftover = /\.\.\/[^\s`)]*/.exec(rewritten);
  if (leftover) throw new Error(`vendor-fixtures: the README refers to ${leftover[0]}, outside the shipped fixtures; rewrite it here`);
  return rewritten;
}

function vendor(source) {
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    if (!statSync(from).isFile()) continue;
    if (name === 'README.md') writeFileSync(join(TARGET, name), rewriteFixturesReadme(readFileSync(from, 'utf8')));
    else copyFileSync(from, join(TARGET, name));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: node packages/testkit/scripts/vendor-fixtures.mjs <folder of real-mastodon-4.5.7>');
    process.exit(2);
  }
  vendor(source);
  console.log(`vendor-fixtures: copied ${source} to ${TARGET}`);
}
