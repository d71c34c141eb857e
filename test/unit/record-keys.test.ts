import { compactCode, documentKey, vinCheckDigit, vinProblem } from '../../src/databases/record-keys';
import { nameKey } from '../../src/kernel/name-keys';

describe('search keys of database records', () => {
  it('gives one name key to a name in any script, order, case and punctuation', () => {
    const key = 'marko petrovic';
    for (const name of [
      ['Petrović', 'Marko'],
      ['Петровић', 'Марко'],
      ['MARKO', 'petrovic'],
      ['petrovic, marko', undefined],
    ]) {
      expect(nameKey(...name)).toBe(key);
    }
    // Đ is the Cyrillic Ђ, written Dj in both.
    expect(nameKey('Đorđević')).toBe(nameKey('Ђорђевић'));
    expect(nameKey('Ђорђевић')).toBe('djordjevic');
    expect(nameKey('Müller-Lüdenscheidt', 'Zoë')).toBe('ludenscheidt muller zoe');
    expect(nameKey('', undefined)).toBeNull();
    expect(nameKey('Petrovic')).not.toBe(nameKey('Petrovich'));
    // A search's cost is bounded: at most 8 words of each name, 40 letters a word.
    const long = nameKey(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '), 'x'.repeat(100))!;
    expect(long.split(' ')).toHaveLength(9);
    expect(Math.max(...long.split(' ').map((w) => w.length))).toBe(40);
  });

  it('compares documents, VINs and plates without case, spaces, dashes or dots', () => {
    expect(compactCode(' ab-123 45.6 ')).toBe('AB123456');
    expect(documentKey('RS', 'ab 1234-567')).toBe('RS:AB1234567');
    expect(documentKey('RS', 'AB1234567')).not.toBe(documentKey('HR', 'AB1234567'));
  });

  it('checks a VIN: its letters and, where the format has one, its check digit', () => {
    // 49 CFR 565's worked example.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(vinProblem('1M8GDM9AXKP042788')).toBeNull();
    expect(vinProblem('1M8GDM9A1KP042788')).toMatch(/check digit "1".*"X"/);
    expect(vinProblem('11111111111111111')).toBeNull();
    // A European VIN's 9th character is the maker's own.
    expect(vinProblem('WVWZZZ1JZXW000001')).toBeNull();
    expect(vinProblem('WVWZZZ1JZXW00000')).toMatch(/17 letters/);
    expect(vinProblem('WVWZZZ1JZXW00000O')).toMatch(/without I, O or Q/);
  });
});
