import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as mainEntry from '@tootstream/testkit';
import * as ledgerEntry from '@tootstream/testkit/ledger';

/** Every module specifier `file` imports or re-exports (static or dynamic). */
function specifiersOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((match) => match[1] as string);
}

describe('@tootstream/testkit/ledger', () => {
  it('imports nothing outside its own files: no node:* module, no package, so a browser can load it', () => {
    const seen = new Set<string>();
    const outside: string[] = [];
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      for (const specifier of specifiersOf(readFileSync(url, 'utf8'))) {
        if (specifier.startsWith('./')) visit(new URL(specifier.replace(/\.js$/, '.ts'), url));
        else outside.push(`${url.pathname.split('/').at(-1)} imports ${specifier}`);
      }
    };
    visit(new URL('../src/ledger.ts', import.meta.url));
    expect(outside).toEqual([]);
    // The walk found the oracle's files (a broken walk would pass vacuously).
    expect(seen.size).toBeGreaterThan(5);
  });

  it('is re-exported, value for value, by the main entry', () => {
    for (const [name, value] of Object.entries(ledgerEntry)) expect(mainEntry[name as keyof typeof mainEntry], name).toBe(value);
  });

  it('exports exactly its documented list', () => {
    expect(Object.keys(ledgerEntry).sort()).toEqual([
      'CHAOS_FINAL_MARKER',
      'ChaosViolationError',
      'assertNoChaosViolations',
      'chaosLedgerFromJson',
      'chaosLedgerToJson',
      'chaosSeeds',
      'checkChaosCatchUpOrder',
      'checkChaosConnectionOrder',
      'checkChaosNotifications',
      'checkChaosStatuses',
      'checkChaosStreamsClosed',
      'countChaosInterruptions',
      'findChaosTag',
      'findChaosTagOfId',
    ]);
  });
});
