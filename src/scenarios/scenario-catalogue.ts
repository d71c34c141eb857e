import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../kernel/project-root';
import { parseRecordsCsv } from '../databases/record-csv';
import { ImportRecordsBody } from '../databases/record-schemas';
import { parseScenario, type Scenario } from './scenario-schema';

/** The scenarios shipped in the repository's `scenarios/` folder. */
export const SHIPPED_SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');

/** A scenario file's key: its name without `.yaml`. */
export const SCENARIO_FILE_KEY = /^[a-z0-9][a-z0-9_-]{0,99}$/;

export interface ShippedScenario {
  key: string;
  text: string;
  scenario: Scenario;
}

export interface ScenarioCatalogue {
  /** Every valid scenario file of the folder, by key; a file that does not validate is left out. */
  list(): Promise<ShippedScenario[]>;
  /** One scenario by key, or null when the folder has no such file. */
  find(key: string): Promise<ShippedScenario | null>;
  /** The scenario with the files of records it names read from the folder; null when one is missing or bad. */
  readFiles(scenario: Scenario): Promise<Scenario | null>;
}

/**
 * The scenario with the records of the files it names (beside it: a name, never a path) read in
 * their place, each checked as an import's; null when a file is missing or a record in it is bad.
 */
export async function withFilesRead(dir: string, scenario: Scenario): Promise<Scenario | null> {
  if (!scenario.records.some((r) => 'file' in r)) return scenario;
  const records: Scenario['records'] = [];
  for (const entry of scenario.records) {
    if (!('file' in entry)) {
      records.push(entry);
      continue;
    }
    const text = await readFile(path.join(dir, path.basename(entry.file)), 'utf8').catch(() => null);
    if (text === null) return null;
    let rows: unknown;
    try {
      rows = entry.file.endsWith('.csv') ? parseRecordsCsv(text) : JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = ImportRecordsBody.safeParse(rows);
    if (!parsed.success) return null;
    records.push(...parsed.data.map((record) => ({ as: entry.as, record })));
  }
  return { ...scenario, records };
}

/**
 * Reads the folder on each call (a trainer may drop a file in while the server runs). Keys are
 * matched against the folder's own listing, so no name from a request ever becomes a path.
 */
export function createScenarioCatalogue(dir: string = SHIPPED_SCENARIOS_DIR): ScenarioCatalogue {
  async function keys(): Promise<string[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.yaml'))
      .map((n) => n.slice(0, -'.yaml'.length))
      .filter((k) => SCENARIO_FILE_KEY.test(k))
      .sort();
  }

  async function load(key: string): Promise<ShippedScenario | null> {
    const text = await readFile(path.join(dir, `${key}.yaml`), 'utf8').catch(() => null);
    if (text === null) return null;
    const parsed = parseScenario(text);
    if (!parsed.ok) return null;
    const scenario = await withFilesRead(dir, parsed.scenario);
    return scenario ? { key, text, scenario } : null;
  }

  return {
    async list() {
      const loaded = await Promise.all((await keys()).map(load));
      return loaded.filter((s): s is ShippedScenario => s !== null);
    },
    async find(key) {
      return (await keys()).includes(key) ? load(key) : null;
    },
    readFiles: (scenario) => withFilesRead(dir, scenario),
  };
}
