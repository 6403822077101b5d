import { describe, expect, it } from 'vitest';
import { normalizeTag } from '@tootstream/testkit';

// streaming/utils.js normalizeHashtag: NFKC, toLowerCase, then foldToASCII with the fixed table
// of app/lib/ascii_folder.rb (about 180 Latin-1/Latin Extended-A letters), then strip.
describe('normalizeTag folds exactly the characters of Mastodon’s ASCII folding table', () => {
  it('folds the table’s letters', () => {
    expect(normalizeTag('#Café')).toBe('cafe');
    expect(normalizeTag('ÀÉÎÕÜçñßøł')).toBe('aeioucnßol');
    expect(normalizeTag('ĸŀ')).toBe('kl·'); // NFKC first: ŀ is l + U+00B7, which is kept
  });

  it('leaves accented Latin letters outside the table as they are, so they name another channel', () => {
    expect(normalizeTag('Việt')).toBe('việt');
    expect(normalizeTag('ǎǐ')).toBe('ǎǐ');
    expect(normalizeTag('ṡ')).toBe('ṡ');
  });
});
