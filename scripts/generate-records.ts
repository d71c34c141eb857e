/**
 * `npm run records:generate -- --owner RS --count 10000 [--seed 16] [--format csv|json]`: a country's
 * synthetic database (src/databases/record-generator.ts) on standard output, ready for
 * `POST /api/exercises/:id/records/import` or a scenario's `records` file. The same seed gives the same file.
 */
import { parseArgs } from 'node:util';
import { generateRecords } from '../src/databases/record-generator';
import { recordsToCsv } from '../src/databases/record-csv';

const { values } = parseArgs({
  options: {
    owner: { type: 'string' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '16' },
    format: { type: 'string', default: 'csv' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!values.owner || !/^[A-Z]{2}$/.test(values.owner) || !Number.isInteger(count) || count < 1 || count > 100_000) {
  console.error('usage: npm run records:generate -- --owner RS --count 1..100000 [--seed N] [--format csv|json]');
  process.exit(2);
}
if (!Number.isInteger(seed) || (values.format !== 'csv' && values.format !== 'json')) {
  console.error('--seed must be a whole number, --format csv or json');
  process.exit(2);
}
const records = generateRecords({ count, seed, owner: values.owner });
process.stdout.write(values.format === 'csv' ? recordsToCsv(records) : `${JSON.stringify(records)}\n`);
