import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/shared/utf8.ts';

describe('the UTF-8 length of a string', () => {
  it('is what TextEncoder writes, for every kind of code unit', () => {
    const texts = [
      '',
      'a config value',
      'café',
      'Ω≈ç√',
      '日本語の歌詞',
      '🎵 Take Five 🎷',
      // Lone surrogates become U+FFFD; a high one at the very end, or followed by anything but a low one.
      '\ud83c',
      'x\ud83cy',
      '\udfb5 alone',
      '\ud83c\ud83c\udfb5',
      'a\u0000b',
      '\u07ff\u0800\uffff',
    ];
    const encoder = new TextEncoder();
    for (const text of texts) expect(utf8Length(text), JSON.stringify(text)).toBe(encoder.encode(text).length);
  });
});
