import { describe, expect, it } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// The option types accept `undefined` for every optional property (see optional-undefined.test-d.ts);
// the fake must then read it as "not given", never as a value that replaces a generated one.

const { start } = useFakePerTest();

describe('an override given as undefined counts as not given', () => {
  it('postStatus and editStatus keep the generated or stored field', async () => {
    const s = await start();
    const maybeContent: string | undefined = undefined;
    const status = s.postStatus({ content: maybeContent, language: undefined, sensitive: undefined }, { visibility: undefined, homeOf: undefined });
    expect(status.content).toBe(`<p>status ${status.id}</p>`);
    expect([status['language'], status['sensitive'], status.visibility]).toEqual(['en', false, 'public']);

    const edited = s.editStatus(status.id, { content: undefined, spoiler_text: 'cw' });
    expect([edited.content, edited['spoiler_text']]).toEqual([status.content, 'cw']);
    const served = await fetch(`${s.url}/api/v1/statuses/${status.id}`).then((response) => response.json());
    expect(served.content).toBe(status.content);
  });
});
