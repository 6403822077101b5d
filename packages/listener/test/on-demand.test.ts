import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rule of README "What loads up front, and what on demand": an on-demand module (a target of
// `import()`, and what it imports in turn) imports at run time nothing that the entry loads, not
// even @tootstream/core; `import type` is erased and free. Otherwise the bundle splits the entry
// into shared chunks whose import and export lists every browser downloads.

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const sources = new Map(readdirSync(srcDir).filter((file) => file.endsWith('.ts')).map((file) => [file.replace(/\.ts$/, ''), readFileSync(srcDir + file, 'utf8')]));

/** The run-time (not `import type`/`export type`) static imports and re-exports of a module: sibling module names and package names. */
function valueImports(module: string): string[] {
  const text = sources.get(module) ?? '';
  return [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)].map(([, from]) => (from?.startsWith('./') ? from.slice(2).replace(/\.js$/, '') : (from as string)));
}

function closure(roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (module: string) => {
    if (seen.has(module)) return;
    seen.add(module);
    if (sources.has(module)) for (const imported of valueImports(module)) visit(imported);
  };
  for (const root of roots) visit(root);
  return seen;
}

const dynamicTargets = [...sources.values()].flatMap((text) => [...text.matchAll(/import\('\.\/([\w-]+)\.js'\)/g)].map(([, name]) => name as string));

describe('on-demand modules', () => {
  it('exist (the check below is not vacuous)', () => {
    expect(new Set(dynamicTargets)).toEqual(new Set(['instance-checks', 'rare-paths', 'restart']));
  });

  it('import at run time nothing the entry loads, not even @tootstream/core', () => {
    const entry = closure(['index']);
    expect(entry).toContain('stream-run');
    const onDemand = closure(dynamicTargets);
    expect([...onDemand].filter((module) => entry.has(module))).toEqual([]);
  });
});
