import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, ERROR_CODE_LIST } from '../../src/kernel/error-codes';
import { AppError } from '../../src/kernel/errors';

describe('the error catalogue', () => {
  it('gives every error its status from the catalogue', () => {
    for (const code of ERROR_CODE_LIST) expect(new AppError(code, 'x').status).toBe(ERROR_CODES[code].status);
  });

  it('is the README’s error table, row for row', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \| (.+) \|$/gm)].map(([, status, code, meaning]) => ({
      status: Number(status),
      code,
      meaning,
    }));
    expect(rows).toEqual(ERROR_CODE_LIST.map((code) => ({ code, ...ERROR_CODES[code] })));
  });
});
