import type { ValidationIssue } from './errors.js';

// The default ("essentials") validation, written without valibot so that the
// up-front bundle does not carry it: these rules give the per-event verdict in
// a few dozen nanoseconds and, only when a payload fails, describe why. They
// are twins of the valibot schemas in schema-essentials.ts (the published
// schemas and the source of the types); a test holds both to the same verdict
// and the same failing paths on real and mutated payloads.

/** The JSON-bearing events, each with an essentials rule. */
export type PayloadEvent = 'update' | 'status.update' | 'notification' | 'conversation' | 'announcement' | 'announcement.reaction';

/** A verdict and, on failure, its reasons. */
export interface PayloadValidator {
  is(value: unknown): boolean;
  issues(value: unknown): ValidationIssue[];
}

interface Rule {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
  readonly fields?: { readonly keys: readonly string[]; readonly rules: readonly Rule[] };
}

interface Loose {
  [key: string]: unknown;
}

// valibot's v.object() accepts any non-null object (arrays included); so do these.
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

const string: Rule = { expected: 'string', test: (value) => typeof value === 'string' };
const nullishString: Rule = { expected: 'string', test: (value) => value == null || typeof value === 'string' };
const nullishObject: Rule = { expected: 'Object', test: (value) => value == null || isObject(value) };
const array: Rule = { expected: 'Array', test: Array.isArray };
const number: Rule = { expected: 'number', test: (value) => typeof value === 'number' && !Number.isNaN(value) };
const optionalBoolean: Rule = { expected: 'boolean', test: (value) => value === undefined || typeof value === 'boolean' };

function object(shape: Readonly<Record<string, Rule>>): Rule {
  const keys = Object.keys(shape);
  const rules = Object.values(shape);
  return {
    expected: 'Object',
    fields: { keys, rules },
    test: (value) => {
      if (!isObject(value)) return false;
      for (let index = 0; index < keys.length; index++) {
        if (!(rules[index] as Rule).test(value[keys[index] as string])) return false;
      }
      return true;
    },
  };
}

/** Like valibot's `received` text: `"text"`, `7`, `null`, `undefined`, `Array`, `Object`. */
function describeReceived(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'Array' : 'Object';
  return String(value);
}

function collectIssues(rule: Rule, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (rule.fields === undefined || !isObject(value)) {
    if (!rule.test(value)) {
      const received = describeReceived(value);
      issues.push({ path, expected: rule.expected, received, message: `Invalid type: Expected ${rule.expected} but received ${received}` });
    }
    return;
  }
  const { keys, rules } = rule.fields;
  keys.forEach((key, index) => collectIssues(rules[index] as Rule, value[key], path === '' ? key : `${path}.${key}`, issues));
}

const account = object({ id: string, acct: string });
const status = object({
  id: string,
  created_at: string,
  content: string,
  visibility: string,
  account,
  edited_at: nullishString,
  reblog: nullishObject,
  media_attachments: array,
});

const rules: Readonly<Record<PayloadEvent, Rule>> = {
  update: status,
  'status.update': status,
  notification: object({ id: string, type: string, created_at: string, account, status: nullishObject }),
  conversation: object({ id: string, accounts: array, unread: optionalBoolean, last_status: nullishObject }),
  announcement: object({ id: string, content: string }),
  'announcement.reaction': object({ name: string, count: number, announcement_id: string }),
};

const toValidator = (rule: Rule): PayloadValidator => ({
  is: rule.test,
  issues: (value) => {
    const issues: ValidationIssue[] = [];
    collectIssues(rule, value, '', issues);
    return issues;
  },
});

/** The default validator per JSON-bearing event: `is` equals `v.is(essentialSchemas[event], value)`. */
export const essentialValidators = Object.fromEntries(Object.entries(rules).map(([event, rule]) => [event, toValidator(rule)])) as Readonly<
  Record<PayloadEvent, PayloadValidator>
>;
