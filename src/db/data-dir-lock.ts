/**
 * One owner per PGlite data folder. PGlite takes no lock of its own, so two processes on one folder
 * both run and lose each other's writes; `openDatabase` takes this lock first and `close()` gives it back.
 *
 * Written by hand rather than with `proper-lockfile`: that library judges a lock stale by an mtime
 * heartbeat, which PGlite (WebAssembly on the main thread) can hold up long enough to lose a live lock,
 * it keeps a killed owner's lock until the stale time has passed, and it records no owner to name. Here
 * a lock is stale only when its owner is provably gone (see `judge`), so a restart after kill -9 takes it
 * over at once, and a refusal names the owner.
 *
 * The lock is the folder `<dataDir>/notice-simulator.lock/` (PGlite accepts it there: a new folder still
 * initialises, an existing one still opens). It holds numbered records, `<n>.json`; the highest number
 * is the one that counts. A record is written to a temporary file, then hard-linked to its name, so it is
 * complete when it appears and `link` fails with EEXIST when another process took that number. Taking
 * over a stale or released record n means creating n + 1: of any number of racers exactly one creates
 * it, and the highest record is never deleted (only those below it are), so a number is not reused while
 * it could matter. A clean release adds a "released" record above its own.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_NAME = 'notice-simulator.lock';

const OwnerSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** The OS's start time of the process (Linux: /proc/<pid>/stat field 22), to tell a reused pid; null elsewhere. */
  startTicks: z.string().nullable(),
  /** When the process started, for people. */
  startedAt: z.string(),
  command: z.string(),
  nonce: z.string(),
});
const RecordSchema = z.union([
  OwnerSchema.extend({ released: z.literal(false).optional() }),
  z.object({ released: z.literal(true), releasedAt: z.string(), nonce: z.string() }),
]);

export type LockOwner = z.infer<typeof OwnerSchema>;
type LockRecord = z.infer<typeof RecordSchema>;

/** Why a folder cannot be had: its owner runs (elsewhere or in this process), is on another host, or is unreadable. */
export type InUseReason = 'alive' | 'this-process' | 'other-host' | 'unreadable';

/** A second owner for a data folder: the message names the folder, the owner and what to do. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly reason: InUseReason,
    readonly owner: LockOwner | undefined,
    readonly lockPath: string,
  ) {
    super(inUseMessage(dataDir, reason, owner, lockPath));
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  /** The record that makes this process the owner. */
  readonly recordPath: string;
  /** Gives the folder back (idempotent); the next owner needs no judgement of liveness. */
  release(): Promise<void>;
}

/** Nonces of the records this process holds or is creating: another open of the same folder here is refused. */
const held = new Set<string>();
let temporaries = 0;

/** This process as a lock owner, with a fresh nonce. */
export async function thisProcess(): Promise<LockOwner> {
  return {
    pid: process.pid,
    host: hostname(),
    startTicks: (await processStat(process.pid))?.startTicks ?? null,
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: [process.argv0, ...process.execArgv, ...process.argv.slice(1)].join(' '),
    nonce: randomUUID(),
  };
}

/** Makes this process the one owner of `dataDir` (which must exist), or fails at once with DataDirInUseError. */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const folder = path.resolve(dataDir);
  const lockDir = path.join(folder, LOCK_NAME);
  await mkdir(lockDir, { recursive: true });
  const me = await thisProcess();
  held.add(me.nonce);
  try {
    // Each pass that does not end is caused by another process's progress; the bound only stops a runaway.
    for (let pass = 0; pass < 100; pass++) {
      const top = (await generations(lockDir))[0];
      if (top !== undefined) {
        const record = await readRecord(lockDir, top);
        if (record === 'missing') continue;
        const reason = await judge(record);
        if (reason) {
          const owner = record !== 'unreadable' && !record.released ? record : undefined;
          throw new DataDirInUseError(folder, reason, owner, recordPath(lockDir, top));
        }
      }
      const mine = (top ?? 0) + 1;
      if (!(await createRecord(lockDir, mine, me))) continue;
      // A racer that read an old listing may recreate a number already swept away: it is not the top then.
      if ((await generations(lockDir))[0] !== mine) {
        await removeIfPresent(recordPath(lockDir, mine));
        continue;
      }
      await sweep(lockDir, mine);
      return ownership(folder, lockDir, mine, me);
    }
    throw new Error(`Could not settle who owns ${folder}: its lock (${lockDir}) kept changing`);
  } catch (error) {
    held.delete(me.nonce);
    throw error;
  }
}

function ownership(dataDir: string, lockDir: string, mine: number, me: LockOwner): DataDirLock {
  let releasing: Promise<void> | undefined;
  return {
    dataDir,
    recordPath: recordPath(lockDir, mine),
    release: () =>
      (releasing ??= (async () => {
        try {
          const released = { released: true as const, releasedAt: new Date().toISOString(), nonce: me.nonce };
          // Fails only if someone judged this process gone and took over; theirs then stands.
          await createRecord(lockDir, mine + 1, released);
          await removeIfPresent(recordPath(lockDir, mine));
        } finally {
          held.delete(me.nonce);
        }
      })()),
  };
}

/**
 * Why the record's owner still has the folder, or undefined when it is free: released, or its owner
 * provably gone. Gone means, on this host: the pid is not alive (or a zombie), or is ours but the record
 * is not one this process holds (a container's every incarnation is pid 1), or its start time differs (a
 * reused pid). Another host's owner cannot be checked, so it is never presumed gone.
 */
async function judge(record: LockRecord | 'unreadable'): Promise<InUseReason | undefined> {
  if (record === 'unreadable') return 'unreadable';
  if (record.released) return undefined;
  if (record.host !== hostname()) return 'other-host';
  if (record.pid === process.pid) return held.has(record.nonce) ? 'this-process' : undefined;
  if (!isAlive(record.pid)) return undefined;
  const now = await processStat(record.pid);
  if (now && (now.state === 'Z' || now.state === 'X')) return undefined;
  if (now && record.startTicks !== null && now.startTicks !== record.startTicks) return undefined;
  return 'alive';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** A process's state and start time from /proc (Linux); undefined where the OS has no /proc or the pid is gone. */
async function processStat(pid: number): Promise<{ state: string; startTicks: string } | undefined> {
  try {
    const line = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command name, is in parentheses and may hold spaces; fields 3 onwards follow the last ')'.
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    const [state, startTicks] = [fields[0], fields[22 - 3]];
    return state && startTicks ? { state, startTicks } : undefined;
  } catch {
    return undefined;
  }
}

const recordPath = (lockDir: string, n: number) => path.join(lockDir, `${n}.json`);

/** The record numbers present, highest first. */
async function generations(lockDir: string): Promise<number[]> {
  const names = await readdir(lockDir);
  return names
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
}

async function readRecord(lockDir: string, n: number): Promise<LockRecord | 'unreadable' | 'missing'> {
  let text: string;
  try {
    text = await readFile(recordPath(lockDir, n), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Creates record n complete, or returns false when it exists already. */
async function createRecord(lockDir: string, n: number, record: LockRecord): Promise<boolean> {
  const temporary = path.join(lockDir, `.tmp-${process.pid}-${record.nonce}-${++temporaries}`);
  const file = await open(temporary, 'wx');
  try {
    await file.writeFile(`${JSON.stringify(record, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(temporary, recordPath(lockDir, n));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await removeIfPresent(temporary);
  }
}

/** Removes the records below ours, and temporary files a killed process left (a live one's lasts milliseconds). */
async function sweep(lockDir: string, mine: number): Promise<void> {
  for (const n of await generations(lockDir)) if (n < mine) await removeIfPresent(recordPath(lockDir, n));
  for (const name of await readdir(lockDir)) {
    if (!name.startsWith('.tmp-')) continue;
    const file = path.join(lockDir, name);
    const age = await stat(file).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 60_000) await removeIfPresent(file);
  }
}

async function removeIfPresent(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function inUseMessage(dataDir: string, reason: InUseReason, owner: LockOwner | undefined, lockPath: string): string {
  const lockDir = path.dirname(lockPath);
  const who = owner
    ? `pid ${owner.pid} on host ${owner.host}, started ${owner.startedAt}, command: ${owner.command}`
    : 'an unknown process';
  const force = `If you are sure no process uses the folder any more, delete ${lockDir} and start again.`;
  switch (reason) {
    case 'alive':
      return [
        `The data folder ${dataDir} is in use by another process: ${who}.`,
        "Only one process at a time may open a PGlite data folder; two would lose each other's writes.",
        'Stop that process first (it gives the folder back when it stops), ' +
          'or use another folder (DATA_DIR, or --data-dir).',
      ].join('\n');
    case 'this-process':
      return `The data folder ${dataDir} is already open in this process (${who}); close that database first.`;
    case 'other-host':
      return [
        `The data folder ${dataDir} is in use by a process on another host: ${who} (this is ${hostname()}).`,
        'A process on another host cannot be checked from here, so its lock is never presumed stale.',
        `Stop that process first. ${force}`,
      ].join('\n');
    case 'unreadable':
      return `The data folder ${dataDir} has a lock record that cannot be read (${lockPath}). ${force}`;
  }
}
