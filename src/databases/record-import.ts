/**
 * The body of a records import, read after the caller's token has been checked (the app's own JSON
 * parser leaves this path alone): a JSON array, or CSV with a header row naming the fields, parsed as
 * a stream by csv-parse. Either way at most 50 MB (413 beyond) and 100,000 records; each CSV row
 * becomes the record's JSON form (empty cells left out, lists split on `;`), so that one schema checks
 * both and names each bad row by its number.
 */
import { parse } from 'csv-parse';
import express, { type RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import { AppError, ForbiddenError, ValidationError } from '../kernel/errors';
import { CSV_OPTIONS, rowOfCsv } from './record-csv';

export const IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;
export const IMPORT_MAX_RECORDS = 100_000;

/** The path whose body only its own route reads. */
export const isImportRequest = (method: string, path: string) =>
  method === 'POST' && /^\/api\/exercises\/[^/]+\/records\/import\/?$/.test(path);

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `An import is at most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`);

const readJson = express.json({ limit: IMPORT_LIMIT_BYTES, strict: true });

/** Reads a `text/csv` body into `req.body` as an array of records' JSON forms, within the limits. */
const readCsv: RequestHandler = (req, _res, next) => {
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let done = false;
  const finish = (error?: unknown) => {
    if (done) return;
    done = true;
    if (error === undefined) {
      req.body = rows;
      next();
      return;
    }
    req.unpipe(parser);
    parser.destroy();
    // The rest of the body is read and dropped, so the answer reaches a client still sending.
    req.resume();
    next(error);
  };
  const parser = parse(CSV_OPTIONS);
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > IMPORT_LIMIT_BYTES) finish(tooLarge());
  });
  // A client gone before the end: nothing is imported, and nothing is left waiting.
  req.on('close', () => {
    if (!req.complete) finish(new AppError('BAD_REQUEST', 'The import’s body ended before it was whole'));
  });
  req.on('error', (error) => finish(error));
  parser.on('readable', () => {
    let row: Record<string, string> | null;
    while (!done && (row = parser.read() as Record<string, string> | null) !== null) {
      if (rows.length === IMPORT_MAX_RECORDS) {
        finish(ValidationError.of('body', `must hold at most ${IMPORT_MAX_RECORDS.toLocaleString('en-GB')} records`));
        return;
      }
      rows.push(rowOfCsv(row));
    }
  });
  parser.on('error', (error: Error) =>
    finish(ValidationError.of('body', `must be CSV with a header row: ${error.message}`)),
  );
  parser.on('end', () => finish());
  req.pipe(parser);
};

/** The media type and charset the body says it is in. */
function contentTypeOf(header: string | undefined): { type: string; charset: string | null } {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset =
    params
      .find((p) => p.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '') ?? null;
  return { type, charset };
}

/**
 * The import's body by its media type: JSON or CSV in UTF-8 (415 for another), refused at once when it
 * says it is over the limit.
 */
export const readImportBody: RequestHandler = (req, res, next) => {
  if (Number(req.headers['content-length'] ?? 0) > IMPORT_LIMIT_BYTES) {
    // Read and dropped, so the answer reaches a client still sending.
    req.resume();
    next(tooLarge());
    return;
  }
  const { type, charset } = contentTypeOf(req.headers['content-type']);
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
    next(new AppError('UNSUPPORTED_ENCODING', 'An import is in UTF-8'));
  } else if (type === 'text/csv') {
    readCsv(req, res, next);
  } else if (type === 'application/json') {
    readJson(req, res, next);
  } else {
    next(new AppError('UNSUPPORTED_ENCODING', 'An import is a JSON array (application/json) or CSV (text/csv)'));
  }
};

/** Only an ncb contributes records: another role's import is refused before its body is read. */
export const contributorsOnly: RequestHandler = (req, _res, next) => {
  const { role } = principalOf(req);
  next(
    role === 'ncb'
      ? undefined
      : new ForbiddenError('Only a National Central Bureau (ncb) contributes database records'),
  );
};
