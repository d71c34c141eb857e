#!/usr/bin/env node
/**
 * The server built to JavaScript ahead of time: src/main.ts and everything of src/ it imports,
 * bundled by esbuild into one file, dist/main.js (with dist/main.js.map), and the simulation's worker
 * thread beside it (dist/replication-worker.js); the packages in
 * node_modules stay outside it and load as they are. A start then reads one file, where running
 * src/ through tsx meant Node's loader hooks on a thread of their own and about 170 modules found,
 * read and compiled one by one: about 0.8 s of CPU of every start (bench/README.md, "Start to ready").
 *
 * `npm start` (scripts/start.js) builds when the build is missing or stale; `npm run build` always.
 * Stale means: any file under src/ (but the dashboard's browser files, served as they are), this
 * script or tsconfig.json added, removed, or changed in size or modification time since the build.
 * The build writes a fingerprint of those files on dist/main.js's first line, so the check at a
 * start lists and stats them (a few milliseconds) and compares; it never loads esbuild.
 */
const { createHash } = require('node:crypto');
const { Buffer } = require('node:buffer');
const { readFile } = require('node:fs/promises');
const {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Where a project's build goes: `dist/main.js` under its folder. */
const mainOf = (root) => path.join(root, 'dist', 'main.js');
/** The simulation's worker, built beside it. */
const workerOf = (root) => path.join(root, 'dist', 'replication-worker.js');
const WORKER_ENTRY = (root) => path.join(root, 'src', 'simulation', 'replication-worker.ts');

/** The browser's files: served from src/ as they are, never bundled, so an edit there needs no build. */
const NOT_BUILT = new Set([path.join('src', 'dashboard', 'public')]);

/** Every file a build depends on, relative to `root`, sorted: src/ (recursively), this script, tsconfig.json. */
function inputsOf(root) {
  const files = [];
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_BUILT.has(child)) walk(child);
      } else files.push(child);
    }
  };
  walk('src');
  for (const file of [path.join('scripts', 'build.js'), 'tsconfig.json']) {
    if (existsFile(path.join(root, file))) files.push(file);
  }
  return files.sort();
}

function existsFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A digest of the inputs' names, sizes and modification times: any edit, new or removed file changes it. */
function fingerprint(root) {
  const hash = createHash('sha256');
  for (const file of inputsOf(root)) {
    const { size, mtimeMs } = statSync(path.join(root, file));
    hash.update(`${file.split(path.sep).join('/')}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const FIRST_LINE = '// built from inputs ';

/**
 * The generated Prisma client loads its query compiler with `await import()` of two files of
 * @prisma/client's runtime, one of them 4.5 MB of base64 text. Through Node's ES module loader
 * that file is read asynchronously in pieces, parsed once to guess its module format and once more
 * for its export names, before the CommonJS loader reads it a third time; `require` reads and
 * compiles it once (CommonJS files both: the same exports either way). In the bundle only, those
 * two imports become `require`; src/generated stays as Prisma wrote it.
 */
const PRISMA_RUNTIME_IMPORT = /await import\(("@prisma\/client\/runtime\/query_compiler_[\w.-]+\.js")\)/g;

const prismaRuntimeByRequire = {
  name: 'prisma-runtime-by-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(PRISMA_RUNTIME_IMPORT, 'require($1)');
      const warnings =
        contents === text
          ? [{ text: 'the generated client no longer imports its query compiler as expected: left as it is' }]
          : [];
      return { contents, loader: 'ts', warnings };
    });
  },
};

/** The fingerprint a build was made from (its first line), or null when there is no build. */
function builtFrom(root) {
  let fd;
  try {
    fd = openSync(mainOf(root), 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(FIRST_LINE.length + 64);
    const read = readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, read).toString('utf8');
    return line.startsWith(FIRST_LINE) ? line.slice(FIRST_LINE.length) : null;
  } finally {
    closeSync(fd);
  }
}

/** Whether dist/main.js was built from src/ as it is now. */
function isFresh(root = ROOT) {
  return builtFrom(root) === fingerprint(root);
}

/**
 * Bundles `src/main.ts` of `root` into `dist/main.js`. The inputs are fingerprinted before esbuild
 * reads them, so an edit made during a build leaves it stale for the next start. Each file is
 * written beside its place and renamed onto it: a second start building at the same moment, or a
 * start reading the build, sees a whole file, the old or the new.
 */
async function build(root = ROOT) {
  const esbuild = require('esbuild');
  const inputs = fingerprint(root);
  const main = mainOf(root);
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The oldest Node this project runs on (package.json's engines; this machine's Node 20 runs it too).
    target: 'node20',
    packages: 'external',
    // Read with `node --enable-source-maps` for traces pointing into src/.
    sourcemap: 'linked',
    banner: { js: FIRST_LINE + inputs },
    write: false,
    logLevel: 'warning',
  };
  const [server, worker] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'src', 'main.ts')],
      outfile: main,
      // Names kept as written: stack traces and logged errors (`err.name` of classes) read as in src/.
      keepNames: true,
      plugins: [prismaRuntimeByRequire],
    }),
    // The simulation's worker threads (src/simulation/simulate.ts): without kept names, which wrap
    // every closure the engine creates in a call and cost a fifth of a replication's time.
    existsFile(WORKER_ENTRY(root))
      ? esbuild.build({ ...common, entryPoints: [WORKER_ENTRY(root)], outfile: workerOf(root) })
      : { outputFiles: [] },
  ]);
  mkdirSync(path.dirname(main), { recursive: true });
  // Maps and the worker first, dist/main.js last: a whole main.js is always beside files as new as itself.
  const outputs = [...worker.outputFiles, ...server.outputFiles].sort(
    (a, b) => (a.path === main ? 1 : 0) - (b.path === main ? 1 : 0),
  );
  for (const output of outputs) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
  return main;
}

/** Builds when dist/main.js is missing or stale; resolves with its path. */
async function ensureBuilt(root = ROOT) {
  return isFresh(root) ? mainOf(root) : build(root);
}

/** `npm start` of the project at `root`: its build, made first if stale, run in this process. */
function start(root = ROOT) {
  if (isFresh(root)) return require(mainOf(root));
  return ensureBuilt(root).then(
    (main) => require(main),
    (error) => {
      console.error(`Could not build the server (scripts/build.js): ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}

module.exports = { ROOT, build, ensureBuilt, fingerprint, inputsOf, isFresh, mainOf, start, workerOf };

if (require.main === module) {
  build().then(
    (main) => console.log(`built ${path.relative(process.cwd(), main)}`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
