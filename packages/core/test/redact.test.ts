import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../src/redact.js';

// What a server's text looks like once redacted, exactly (hostile-input.test.ts checks that no error carries the
// token, end to end): what stands in for it, and which `Bearer` values and bare tokens are caught.

const TOKEN = 'zXc9-Yb_8aQ.w7~Vu+6/Ts5rR4qP3oN2mL1kJ0iHgFe=';
const headers = { Authorization: `Bearer ${TOKEN}` };

describe('redactCredentials', () => {
  it('replaces the token, echoed bare or after Bearer, with [redacted] and leaves the rest', () => {
    expect(redactCredentials(`{"error":"bad token ${TOKEN}"}`, headers)).toBe('{"error":"bad token [redacted]"}');
    expect(redactCredentials(`"authorization": "Bearer ${TOKEN}"`, headers)).toBe('"authorization": "Bearer [redacted]"');
  });

  it('replaces any Bearer value, whatever the space after Bearer, also without a request token', () => {
    expect(redactCredentials('seen: bearer  other.Token-1==; next', headers)).toBe('seen: Bearer [redacted]; next');
    expect(redactCredentials('seen: Bearer other.Token-1==', {})).toBe('seen: Bearer [redacted]');
    expect(redactCredentials('no credential here', {})).toBe('no credential here');
  });

  it('replaces a bare token from 8 characters on; a shorter one only after Bearer', () => {
    expect(redactCredentials('echo 8chars-t', { Authorization: 'Bearer 8chars-t' })).toBe('echo [redacted]');
    expect(redactCredentials('echo short7 and Bearer short7', { Authorization: 'Bearer short7' })).toBe('echo short7 and Bearer [redacted]');
  });
});
