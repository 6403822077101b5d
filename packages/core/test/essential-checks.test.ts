import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { essentialValidators, issuesOf } from '../src/essential-checks.js';
import fullValidators from '../src/full-schemas.js';
import { essentialSchemas, type PayloadEvent } from '../src/schema-essentials.js';
import { loadSseFixture, SSE_FIXTURES } from './support/fixtures.js';

// The hand-written rules must give exactly the verdict of the valibot schemas
// they stand in for, and name the same failing paths: on every real payload
// and on systematic mutations of it.

function realPayloads(): Array<[PayloadEvent, Record<string, unknown>]> {
  const found: Array<[PayloadEvent, Record<string, unknown>]> = [];
  for (const fixture of SSE_FIXTURES) {
    const text = new TextDecoder().decode(loadSseFixture(fixture).body);
    for (const match of text.matchAll(/event: (\S+)\ndata: (\{.*\})\n/g)) {
      const name = match[1] as PayloadEvent;
      if (name in essentialValidators) found.push([name, JSON.parse(match[2] as string)]);
    }
  }
  return found;
}

const replacements: unknown[] = [undefined, null, 7, Number.NaN, '', 'text', true, [], {}, { id: '1', acct: 'a' }, [{ id: 1 }]];

function mutations(payload: Record<string, unknown>): unknown[] {
  const variants: unknown[] = [payload, null, [], 'x', 1];
  const mutate = (target: Record<string, unknown>, apply: (copy: Record<string, unknown>) => void) => {
    const copy = structuredClone(target);
    apply(copy);
    return copy;
  };
  for (const key of Object.keys(payload)) {
    variants.push(mutate(payload, (copy) => delete copy[key]));
    for (const replacement of replacements) variants.push(mutate(payload, (copy) => (copy[key] = replacement)));
    const nested = payload[key];
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      for (const inner of Object.keys(nested)) {
        for (const replacement of replacements) variants.push(mutate(payload, (copy) => ((copy[key] as Record<string, unknown>)[inner] = replacement)));
      }
    }
  }
  return variants;
}

describe('essential checks agree with the valibot essentials schemas', () => {
  const payloads = realPayloads();

  it('covers every JSON event kind from the real captures', () => {
    expect(new Set(payloads.map(([name]) => name))).toEqual(new Set(['update', 'status.update', 'notification', 'conversation', 'announcement', 'announcement.reaction']));
  });

  it.each(payloads.map(([name, payload], index) => [`${name} #${index}`, name, payload] as const))('%s and its mutations', (_title, name, payload) => {
    let rejected = 0;
    for (const variant of mutations(payload)) {
      const label = JSON.stringify(variant)?.slice(0, 200);
      const expected = v.is(essentialSchemas[name], variant);
      expect(essentialValidators[name](variant, ''), label).toBe(expected);
      // The same paths, and what was received at each as valibot shows it (`"text"`, `7`, `null`, `Array`, `Object`).
      const valibotIssues = (v.safeParse(essentialSchemas[name], variant).issues ?? []).map((issue) => [v.getDotPath(issue) ?? '', issue.received]);
      const issues = issuesOf(essentialValidators[name], variant);
      expect(issues.map((issue) => [issue.path, issue.received]), label).toEqual(valibotIssues);
      for (const issue of issues) expect(issue.message, label).toBe(`Invalid type: Expected ${issue.expected} but received ${issue.received}`);
      if (!expected) rejected++;
    }
    expect(rejected).toBeGreaterThan(3);
  });
});

describe('essential checks name the type each rule expected', () => {
  it('string, Array, boolean, Object, number: for a value of the wrong type, and for a payload that is no object', () => {
    const expectedAt = (name: PayloadEvent, value: unknown) => issuesOf(essentialValidators[name], value).map(({ path, expected, received }) => [path, expected, received]);
    expect(expectedAt('conversation', { id: 7, accounts: {}, unread: [], last_status: 'x' })).toEqual([
      ['id', 'string', '7'],
      ['accounts', 'Array', 'Object'],
      ['unread', 'boolean', 'Array'],
      ['last_status', 'Object', '"x"'],
    ]);
    expect(expectedAt('announcement.reaction', { name: 'x', count: 'one', announcement_id: '1' })).toEqual([['count', 'number', '"one"']]);
    expect(expectedAt('update', 'x')).toEqual([['', 'Object', '"x"']]);
    const [, status] = realPayloads().find(([name]) => name === 'update') ?? [];
    expect(expectedAt('update', { ...status, edited_at: 5 })).toEqual([['edited_at', 'string', '5']]);
  });
});

describe('full validators', () => {
  it('report valibot issues as paths with expected and received', () => {
    const [, status] = realPayloads().find(([name]) => name === 'update') ?? [];
    const broken = { ...structuredClone(status), account: { ...(status?.account as object), url: 7 } };
    expect(fullValidators.update(status, '')).toBe(true);
    expect(fullValidators.update(broken, '')).toBe(false);
    expect(issuesOf(fullValidators.update, broken)).toEqual([expect.objectContaining({ path: 'account.url', expected: 'string', received: '7' })]);
  });

  it('name the first failing rule only: a payload with 100,000 broken media attachments gives one issue, not 600,000', () => {
    const [, status] = realPayloads().find(([name]) => name === 'update') ?? [];
    const flooded = { ...structuredClone(status), media_attachments: Array.from({ length: 100_000 }, () => ({})) };
    const issues = issuesOf(fullValidators.update, flooded);
    expect(issues).toEqual([expect.objectContaining({ path: 'media_attachments.0.id', received: 'undefined' })]);
  });

  it('report a valid status nested deeper than the stack as malformed, not as a thrown RangeError', () => {
    const [, status] = realPayloads().find(([name]) => name === 'update') ?? [];
    const { reblog: _reblog, ...level } = structuredClone(status) as Record<string, unknown>;
    const opening = `${JSON.stringify(level).slice(0, -1)},"reblog":`;
    const depth = 8_000;
    const deep = JSON.parse(`${opening.repeat(depth)}null${'}'.repeat(depth)}`) as unknown;
    expect(fullValidators.update(deep, '')).toBe(false);
    expect(issuesOf(fullValidators.update, deep)).toEqual([expect.objectContaining({ received: 'too deeply nested' })]);
  });

  it("require what the types promise is there: a status's reblog, a conversation's unread and last_status (null, not absent)", () => {
    const real = (name: PayloadEvent) => structuredClone(realPayloads().find(([event]) => event === name)?.[1]) as Record<string, unknown>;
    const { reblog: _reblog, ...status } = real('update');
    expect(issuesOf(essentialValidators.update, status).map((issue) => issue.path)).toEqual(['reblog']);
    expect(essentialValidators.update({ ...status, reblog: null }, '')).toBe(true);
    const { unread: _unread, last_status: _last, ...conversation } = real('conversation');
    expect(issuesOf(essentialValidators.conversation, conversation).map((issue) => issue.path)).toEqual(['unread', 'last_status']);
    expect(essentialValidators.conversation({ ...conversation, unread: false, last_status: null }, '')).toBe(true);
  });
});
