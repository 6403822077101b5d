import type { ValidationIssue } from './errors.js';

// The default ("essentials") validation, written without valibot so that the
// up-front bundle does not carry it: these rules give the per-event verdict in
// a few dozen nanoseconds and, only when a payload fails, describe why. They
// are twins of the valibot schemas in schema-essentials.ts (the published
// schemas and the source of the types); a test holds both to the same verdict
// and the same failing paths on real and mutated payloads.

/** The JSON-bearing events, each with an essentials rule. */
export type PayloadEvent = 'update' | 'status.update' | 'notification' | 'conversation' | 'announcement' | 'announcement.reaction';

/**
 * Gives the verdict on a value. Given `issues`, it also records why the value
 * fails (at `path`, '' for the payload itself), and goes on past the first
 * failure to find every one. Without, it allocates nothing: the per-event path.
 */
export type PayloadValidator = (value: unknown, path: string, issues?: ValidationIssue[]) => boolean;
type Rule = PayloadValidator;

/** Why a payload fails `validator` (empty when it passes). */
export const issuesOf = (validator: PayloadValidator, value: unknown): ValidationIssue[] => {
  const issues: ValidationIssue[] = [];
  validator(value, '', issues);
  return issues;
};

interface Loose {
  [key: string]: unknown;
}

// valibot's v.object() accepts any non-null object (arrays included); so do these.
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/** A failed check: false, and with `issues`, the reason valibot would give (`expected` is the type it wanted there). */
const fail = (expected: string, value: unknown, path: string, issues: ValidationIssue[] | undefined): false => {
  if (issues !== undefined) {
    // Like valibot's `received` text: `"text"`, `7`, `null`, `undefined`, `Array`, `Object`.
    const received = typeof value === 'string' ? JSON.stringify(value) : isObject(value) ? (Array.isArray(value) ? 'Array' : 'Object') : String(value);
    issues.push({ path, expected, received, message: `Invalid type: Expected ${expected} but received ${received}` });
  }
  return false;
};

const string: Rule = (value, path, issues) => typeof value === 'string' || fail('string', value, path, issues);
const nullishString: Rule = (value, path, issues) => value == null || typeof value === 'string' || fail('string', value, path, issues);
const nullishObject: Rule = (value, path, issues) => value == null || isObject(value) || fail('Object', value, path, issues);
const array: Rule = (value, path, issues) => Array.isArray(value) || fail('Array', value, path, issues);
const number: Rule = (value, path, issues) => (typeof value === 'number' && !Number.isNaN(value)) || fail('number', value, path, issues);
const nullableObject: Rule = (value, path, issues) => value === null || isObject(value) || fail('Object', value, path, issues);
const boolean: Rule = (value, path, issues) => typeof value === 'boolean' || fail('boolean', value, path, issues);

const object = (shape: Readonly<Record<string, Rule>>): Rule => {
  const keys = Object.keys(shape);
  const rules = Object.values(shape);
  return (value, path, issues) => {
    if (!isObject(value)) return fail('Object', value, path, issues);
    let valid = true;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      // The path is built only for the issues: the verdict alone stays allocation-free.
      if (!(rules[index] as Rule)((value as Loose)[key], issues === undefined ? path : path === '' ? key : `${path}.${key}`, issues)) {
        if (issues === undefined) return false;
        valid = false;
      }
    }
    return valid;
  };
};

const account = object({ id: string, acct: string });
const status = object({
  id: string,
  created_at: string,
  content: string,
  visibility: string,
  account,
  edited_at: nullishString,
  // Present, as the types promise (`reblog: Status | null`): Mastodon always sends it (entities.md: safe to require).
  reblog: nullableObject,
  media_attachments: array,
});

/** The default validator per JSON-bearing event: its verdict equals `v.is(essentialSchemas[event], value)`. */
export const essentialValidators: Readonly<Record<PayloadEvent, PayloadValidator>> = {
  update: status,
  'status.update': status,
  notification: object({ id: string, type: string, created_at: string, account, status: nullishObject }),
  conversation: object({ id: string, accounts: array, unread: boolean, last_status: nullableObject }),
  announcement: object({ id: string, content: string }),
  'announcement.reaction': object({ name: string, count: number, announcement_id: string }),
};
