import { execFile } from 'node:child_process';
import path from 'node:path';

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  /** JSON Pointer of the first place the problem is reported at. */
  pointer: string;
}

/**
 * Redocly's `recommended` rules (but one, said below), run in a Node process of its own: @redocly/openapi-core is an ES
 * module, which Jest's CommonJS runtime cannot load (Node itself can).
 */
const SCRIPT = `
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/');
const { createConfig, lintFromString } = await import(require.resolve('@redocly/openapi-core'));
let source = '';
for await (const chunk of process.stdin) source += chunk;
// An operation with no input and no token (health, countries, machines, the scenario schema) has no
// 4xx to answer: that rule is the one left out.
const config = await createConfig({ extends: ['recommended'], rules: { 'operation-4xx-response': 'off' } });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({
  ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location?.[0]?.pointer ?? '',
}))));
`;

/** Lints an OpenAPI document with Redocly's recommended rules; every warning and error it reports. */
export function lintOpenApi(document: unknown): Promise<LintProblem[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: path.resolve(__dirname, '../..'), maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`Redocly lint failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout) as LintProblem[]);
      },
    );
    child.stdin!.end(JSON.stringify(document));
  });
}
