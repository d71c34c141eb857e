/**
 * The PostgreSQL extensions the schema uses, as PGlite loads them: PGlite has no extension folder to find
 * them in, so each one is handed to `PGlite.create` (the migrations then `CREATE EXTENSION` it, as on
 * PostgreSQL, which ships them in its contrib). `pg_trgm` gives the trigram similarity and index of name
 * searches, `fuzzystrmatch` the edit distance and phonetic codes (src/databases/).
 */
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

export const PGLITE_EXTENSIONS = { pg_trgm, fuzzystrmatch };
