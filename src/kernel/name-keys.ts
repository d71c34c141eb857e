/**
 * The search key of a person's names, shared by database records and the subjects of notices: the
 * names transliterated to Latin letters by `any-ascii` (Cyrillic, Greek, Arabic, CJK… and every
 * accent), lower case, every other character a space, the words sorted (so that "Marko PETROVIĆ",
 * "Петровић Марко" and "petrovic, marko" give one key, "marko petrovic"). PostgreSQL's `unaccent`
 * leaves Cyrillic as it is and cannot sit in an index (not immutable): the key is made here, stored,
 * and indexed by trigrams (pg_trgm).
 */
import anyAscii from 'any-ascii';

/**
 * Letters that `any-ascii` writes differently in the Latin and Cyrillic spellings of one South Slavic
 * name: Đ (Latin) is Ђ (Cyrillic), which it writes "Dj"; Đ alone would become "D".
 */
const BEFORE_TRANSLITERATION: ReadonlyMap<string, string> = new Map([
  ['Đ', 'Dj'],
  ['đ', 'dj'],
]);

/** Words of a name in Latin lower case: "Ђорђевић-Марко" -> ["djordjevic", "marko"]. */
export function nameWords(text: string): string[] {
  const mapped = [...text.normalize('NFC')].map((c) => BEFORE_TRANSLITERATION.get(c) ?? c).join('');
  return anyAscii(mapped)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Words of a name kept in its key, and letters of a word: enough for any real name, and a search's bound. */
const WORDS_KEPT = 8;
const LETTERS_KEPT = 40;

/** The search key of a person's names, in any order and script: their words, sorted, one space apart. */
export function nameKey(...names: (string | undefined)[]): string | null {
  const words = names
    .flatMap((n) => (n ? nameWords(n).slice(0, WORDS_KEPT) : []))
    .map((w) => w.slice(0, LETTERS_KEPT))
    .sort();
  return words.length ? words.join(' ') : null;
}
