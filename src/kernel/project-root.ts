import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's folder (the one with package.json), for the files the server reads beside its code:
 * prisma/, scenarios/, the dashboard's src/dashboard/public. Found by walking up from this file
 * rather than by a fixed `../..`, because the same code runs from src/kernel/ (tests, tsx) and
 * bundled into dist/main.js (`npm start`, scripts/build.js), one folder nearer the top.
 */
export function projectRootFrom(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`no package.json above ${dir}`);
  }
}

export const PROJECT_ROOT = projectRootFrom(__dirname);
