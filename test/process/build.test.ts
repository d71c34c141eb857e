import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// scripts/build.js is what `npm start` runs first (scripts/start.js): plain JavaScript, no types.
const build = require('../../scripts/build.js') as {
  build(root: string): Promise<string>;
  isFresh(root: string): boolean;
  mainOf(root: string): string;
  inputsOf(root: string): string[];
};

const BUILD_SCRIPT = path.resolve(__dirname, '../../scripts/build.js');

/** `npm start` of the project at `root` (scripts/start.js does the same for this project): its output. */
async function startAt(root: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '-e',
    `Promise.resolve(require(${JSON.stringify(BUILD_SCRIPT)}).start(${JSON.stringify(root)}))`,
  ]);
  return stdout.trim();
}

/** A project of two modules, main importing the other's text. */
function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'build-'));
  mkdirSync(path.join(root, 'src', 'dashboard', 'public'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'main.ts'), "import { text } from './text';\nconsole.log(text);\n");
  writeFileSync(path.join(root, 'src', 'text.ts'), "export const text: string = 'first';\n");
  writeFileSync(path.join(root, 'src', 'dashboard', 'public', 'app.js'), 'export {};\n');
  return root;
}

/** Moves a file's modification time `seconds` away from now (edits within one clock tick stay apart). */
const touch = (file: string, seconds: number) => {
  const when = new Date(Date.now() + seconds * 1000);
  utimesSync(file, when, when);
};

describe('the build npm start runs (scripts/build.js)', () => {
  let root: string;

  beforeEach(() => {
    root = project();
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('builds on the first start, then runs the build as it is while nothing changed', async () => {
    expect(build.isFresh(root)).toBe(false);
    expect(await startAt(root)).toBe('first');
    expect(build.isFresh(root)).toBe(true);
    const built = statSync(build.mainOf(root)).mtimeMs;

    expect(await startAt(root)).toBe('first');
    expect(statSync(build.mainOf(root)).mtimeMs).toBe(built);
  });

  it('rebuilds after an edit to a file under src/, so the edited code runs', async () => {
    await startAt(root);
    writeFileSync(path.join(root, 'src', 'text.ts'), "export const text: string = 'second, longer';\n");
    expect(build.isFresh(root)).toBe(false);
    expect(await startAt(root)).toBe('second, longer');
    expect(build.isFresh(root)).toBe(true);
  });

  it('rebuilds after an edit of the same size, and after a file takes back an older modification time', async () => {
    const text = path.join(root, 'src', 'text.ts');
    await startAt(root);
    writeFileSync(text, "export const text: string = 'other';\n");
    touch(text, 5);
    expect(await startAt(root)).toBe('other');

    // As `cp -p` or an archive would bring back a file: older than the build, yet not what it was built from.
    writeFileSync(text, "export const text: string = 'older';\n");
    touch(text, -3600);
    expect(build.isFresh(root)).toBe(false);
    expect(await startAt(root)).toBe('older');
  });

  it('is stale when a file under src/ is added or removed, not when a browser file of the dashboard changes', async () => {
    await build.build(root);
    const extra = path.join(root, 'src', 'extra.ts');
    writeFileSync(extra, 'export {};\n');
    expect(build.isFresh(root)).toBe(false);
    await build.build(root);
    expect(build.isFresh(root)).toBe(true);
    unlinkSync(extra);
    expect(build.isFresh(root)).toBe(false);
    await build.build(root);

    const browserFile = path.join(root, 'src', 'dashboard', 'public', 'app.js');
    writeFileSync(browserFile, 'export const changed = true;\n');
    touch(browserFile, 5);
    expect(build.isFresh(root)).toBe(true);
    expect(build.inputsOf(root)).toEqual([path.join('src', 'main.ts'), path.join('src', 'text.ts')]);
  });

  it('leaves no partly written file behind when two starts build at once', async () => {
    const outputs = await Promise.all([startAt(root), startAt(root), startAt(root)]);
    expect(outputs).toEqual(['first', 'first', 'first']);
    expect(build.isFresh(root)).toBe(true);
    expect(readdirSync(path.dirname(build.mainOf(root))).sort()).toEqual(['main.js', 'main.js.map']);
  });
});
