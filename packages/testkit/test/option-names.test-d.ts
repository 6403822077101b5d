import { describe, expectTypeOf, it } from 'vitest';
import type { OptionNames } from '../src/option-names.js';

// Each options type's table of names is written `satisfies OptionNames<ThatType>`, so an option
// added to the type but left out of its table (which would then refuse the real option) fails
// to compile, as does a name the type does not have or a wrong required/optional mark.

interface ExampleOptions {
  seed: number;
  timeoutMs?: number | undefined;
  fromNow?: boolean | undefined;
}

describe('OptionNames', () => {
  it('marks each name as the type has it', () => {
    expectTypeOf<OptionNames<ExampleOptions>>().toEqualTypeOf<{ readonly seed: 'required'; readonly timeoutMs: 'optional'; readonly fromNow: 'optional' }>();
  });

  it('refuses a table that misses a name, has one too many, or marks one wrongly', () => {
    const complete = { seed: 'required', timeoutMs: 'optional', fromNow: 'optional' } as const satisfies OptionNames<ExampleOptions>;
    // @ts-expect-error fromNow is missing
    const missing = { seed: 'required', timeoutMs: 'optional' } as const satisfies OptionNames<ExampleOptions>;
    // @ts-expect-error timeout is no option of ExampleOptions
    const extra = { seed: 'required', timeoutMs: 'optional', fromNow: 'optional', timeout: 'optional' } as const satisfies OptionNames<ExampleOptions>;
    // @ts-expect-error seed is required
    const wrongMark = { seed: 'optional', timeoutMs: 'optional', fromNow: 'optional' } as const satisfies OptionNames<ExampleOptions>;
    expectTypeOf([complete, missing, extra, wrongMark]).toBeArray();
  });
});
