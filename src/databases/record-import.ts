/**
 * The body of a records import, read after the caller's token has been checked (the app's own JSON
 * parser leaves this path alone): a JSON array, or CSV with a header row naming the fields, parsed as
 * a stream by csv-parse. Either way at most 50 MB (413 beyond) and 100,000 records; each CSV row
 * becomes the record's JSON form (empty cells left out, lists split on `;`), so that one schema checks
 * both and names each bad row by its number.
 */
import { parse } from 'csv-parse';
import express, { type RequestHandler } from 'express';
import { AppError } from '../kernel/errors';
import { CSV_OPTIONS, rowOfCsv } from './record-csv';

export const IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;
export const IMPORT_MAX_RECORDS = 100_000;

/** The path whose body only its own route reads. */
export const isImportRequest = (method: string, path: string) =>
  method === 'POST' && /^\/api\/exercises\/[^/]+\/records\/import\/?$/.test(path);

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `An import is at most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`);

const readJson = express.json({ limit: IMPORT_LIMIT_BYTES, strict: true });

/** Reads a `text/csv` body into `req.body` as an array of records' JSON forms. */
const readCsv: RequestHandler = (req, _res, next) => {
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    req.unpipe(parser);
    req.resume();
    next(error);
  };
  const parser = parse(CSV_OPTIONS);
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > IMPORT_LIMIT_BYTES) fail(tooLarge());
  });
  parser.on('readable', () => {
    let row: Record<string, string> | null;
    while ((row = parser.read() as Record<string, string> | null) !== null) rows.push(rowOfCsv(row));
  });
  parser.on('error', (error: Error) =>
    fail(
      new AppError('VALIDATION_FAILED', `body: not CSV with a header row: ${error.message}`, [
        { field: 'body', message: `must be CSV with a header row: ${error.message}` },
      ]),
    ),
  );
  parser.on('end', () => {
    if (failed) return;
    req.body = rows;
    next();
  });
  req.pipe(parser);
};

/** The import's body by its media type: JSON or CSV (415 for another). */
export const readImportBody: RequestHandler = (req, res, next) => {
  if (req.is('text/csv')) {
    readCsv(req, res, next);
    return;
  }
  if (req.is('application/json')) {
    readJson(req, res, next);
    return;
  }
  next(new AppError('UNSUPPORTED_ENCODING', 'An import is a JSON array (application/json) or CSV (text/csv)'));
};
