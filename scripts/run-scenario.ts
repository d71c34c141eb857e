/**
 * `npm run scenario -- <file> [--out report.html] [--json report.json] [--data-dir dir] [--horizon P20Y]`
 *
 * Runs a scenario headless: every part scripted, the clock jumping from one due inject or deadline
 * to the next. The database is DATABASE_URL when set, else the embedded PGlite in --data-dir, else
 * a throw-away in-memory one. Prints a summary and writes the HTML report.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { openMigratedDatabase } from '../src/db/database';
import { bulkTimeouts } from '../src/db/database-timeouts';
import { humanDuration, renderReportHtml } from '../src/reports/report-html';
import { runScenario, type RunProgress } from '../src/headless/scenario-runner';
import { problemText } from '../src/kernel/validate';
import { withFilesRead } from '../src/scenarios/scenario-catalogue';
import { parseScenario } from '../src/scenarios/scenario-schema';
import { buildServices } from '../src/server';

const USAGE = 'usage: npm run scenario -- <scenario.yaml> [--out report.html] [--json report.json] [--data-dir dir] [--horizon P20Y]';

function progressBar(stream: NodeJS.WriteStream) {
  let last = '';
  return (p: RunProgress) => {
    const width = 30;
    const filled = p.injectsTotal ? Math.round((p.injectsDone / p.injectsTotal) * width) : width;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.injectsDone}/${p.injectsTotal} injects · ${p.deadlinesFired} deadlines · ${p.now.toISOString().slice(0, 16)}Z`;
    if (stream.isTTY) stream.write(`\r${line}`);
    else if (line.slice(0, width + 2) !== last.slice(0, width + 2)) stream.write(`${line}\n`);
    last = line;
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      json: { type: 'string' },
      'data-dir': { type: 'string' },
      horizon: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const file = positionals[0]!;
  const parsed = parseScenario(await readFile(file, 'utf8'));
  if (!parsed.ok) {
    console.error(`${file} is not a valid scenario:`);
    // Each message names the part ("inject 6") and, in the file, its line and column.
    for (const p of parsed.problems) console.error(`  ${problemText(p)}`);
    return 1;
  }
  // Files of records beside the scenario are read as the catalogue reads them.
  const scenario = await withFilesRead(path.dirname(path.resolve(file)), parsed.scenario);
  if (!scenario) {
    console.error(`${file}: a file of records it names is missing beside it, or holds a bad record`);
    return 1;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : 'memory://';
  // A persisted simulation is bulk work: no request waits on it, so it is not held to a request's limits.
  const db = await openMigratedDatabase({ databaseUrl, dataDir, timeouts: bulkTimeouts() });
  try {
    const services = buildServices(db, pino({ level: 'silent' }), { authFailureLimit: 20 });
    const started = Date.now();
    const result = await runScenario(services, scenario, {
      ...(values.horizon && { horizon: values.horizon }),
      onProgress: progressBar(process.stderr),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const { report } = result;
    const out = values.out ?? `${path.basename(file).replace(/\.(ya?ml|json)$/i, '')}-report.html`;
    await writeFile(out, await renderReportHtml(report));
    if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);

    const where = db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : dataDir === 'memory://' ? 'an in-memory database' : `PGlite in ${dataDir}`;
    const lines = [
      '',
      `${report.exercise.title}: ran on ${where} in ${((Date.now() - started) / 1000).toFixed(1)} s of wall time, ${result.steps} clock jumps`,
      `  simulated ${report.exercise.start} → ${report.exercise.now}`,
      `  ${report.summary.events} events on ${report.summary.notices} notice(s); injects ${report.summary.injects.done} done, ${report.summary.injects.failed} failed`,
      ...report.injects.filter((i) => i.error).map((i) => `    inject ${i.seq + 1} (${i.does}) failed: ${i.error!.code} ${i.error!.message}`),
      ...report.notices.map(
        (n) =>
          `  ${n.key ?? n.id}: ${n.type} ${n.requestingCountry}, now ${n.state}; submission → publication ${humanDuration(n.seconds.submissionToPublication)}, publication → first hit ${humanDuration(n.seconds.publicationToFirstHit)}, publication → end ${humanDuration(n.seconds.publicationToEnd)}`,
      ),
      ...report.expectations.map((e) => `  [${e.outcome === 'met' ? 'x' : e.outcome === 'missed' ? ' ' : '?'}] ${e.description} (${e.outcome}, ${e.outcome === 'met' ? e.score : 0}/${e.score})`),
      `  score ${report.summary.score} of ${report.summary.maxScore}`,
      `report: ${path.resolve(out)}${values.json ? `, ${path.resolve(values.json)}` : ''}`,
      ...(db.kind === 'pglite' && dataDir === 'memory://' ? [] : [`exercise ${result.exerciseId}, facilitator token ${result.facilitatorToken}`]),
    ];
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A server (or another run) owns --data-dir: the message names it and says what to do.
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(3);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
