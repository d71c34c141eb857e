/**
 * Records as CSV, one per row under a header naming the fields: empty cells are fields left out, a
 * list (nationalities, aliases, offences, recipients) is one cell separated by `;`. The import reads
 * it (record-import.ts, as a stream), a scenario's file beside it and the generator's output too.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { CreateRecordInput } from './record-schemas';

/** Fields that hold lists: a CSV cell lists them separated by `;`. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['nationalities', 'aliases', 'offences', 'recipients']);

/** Every field of every kind, in the order the generator writes them. */
export const CSV_COLUMNS = [
  'kind',
  'familyName',
  'forename',
  'dateOfBirth',
  'nationalities',
  'aliases',
  'offences',
  'template',
  'description',
  'profile',
  'documentNumber',
  'issuingCountry',
  'documentType',
  'lossKind',
  'vin',
  'plate',
  'registrationCountry',
  'make',
  'model',
  'colour',
  'stolenOn',
  'recipients',
  'personId',
] as const;

/** A CSV row as the record's JSON form: empty cells are left out, lists split, the rest as text. */
export function rowOfCsv(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [field, cell] of Object.entries(row)) {
    const value = cell.trim();
    if (value === '') continue;
    record[field] = LIST_FIELDS.has(field)
      ? value
          .split(';')
          .map((v) => v.trim())
          .filter(Boolean)
      : value;
  }
  return record;
}

/** The options both readers parse with: a header row, a byte-order mark allowed, blank lines skipped. */
export const CSV_OPTIONS = { columns: true, bom: true, skip_empty_lines: true } as const;

/** A whole CSV text (a scenario's file) as records' JSON forms; throws csv-parse's error, with its line. */
export const parseRecordsCsv = (text: string): Record<string, unknown>[] =>
  (parse(text, CSV_OPTIONS) as Record<string, string>[]).map(rowOfCsv);

/** Records as CSV text with the header row. */
export function recordsToCsv(records: readonly CreateRecordInput[]): string {
  const rows = records.map((record) =>
    CSV_COLUMNS.map((column) => {
      const value = (record as Record<string, unknown>)[column];
      return Array.isArray(value) ? value.join(';') : value === undefined || value === null ? '' : String(value);
    }),
  );
  return stringify([[...CSV_COLUMNS], ...rows]);
}
