import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  acquireDataDirLock,
  DataDirInUseError,
  LOCK_NAME,
  thisProcess,
  type DataDirLock,
  type LockOwner,
} from '../../src/db/data-dir-lock';

const ROOT = path.resolve(__dirname, '../..');

interface RacerResult {
  outcome: 'owner' | 'refused';
  pid: number;
  reason?: string;
  message?: string;
}

/** A child process that tries to own the folders it is given (test/support/lock-racer.ts), and holds what it got. */
interface Racer {
  child: ChildProcess;
  tryToOwn(dataDir: string): Promise<RacerResult>;
  exited: Promise<void>;
}

async function racer(): Promise<Racer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/lock-racer.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const ready = await next();
  if (ready !== 'ready') throw new Error(`lock racer said ${ready}`);
  return {
    child,
    exited,
    tryToOwn: async (dataDir) => {
      const answer = next();
      child.stdin!.write(`${dataDir}\n`);
      return JSON.parse(await answer) as RacerResult;
    },
  };
}

/** The pid of a process that has run and ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('one owner per data folder', () => {
  let dataDir: string;
  let lockDir: string;
  const locks: DataDirLock[] = [];
  const racers: Racer[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'data-dir-lock-'));
    lockDir = path.join(dataDir, LOCK_NAME);
  });

  afterEach(async () => {
    for (const lock of locks.splice(0)) await lock.release();
    for (const r of racers.splice(0)) {
      r.child.kill('SIGKILL');
      await r.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const acquire = async () => {
    const lock = await acquireDataDirLock(dataDir);
    locks.push(lock);
    return lock;
  };

  /** Writes a record as another process left it. */
  const leaveRecord = async (record: Partial<LockOwner>, n = 1) => {
    await mkdir(lockDir, { recursive: true });
    const owner = { ...(await thisProcess()), ...record };
    await writeFile(path.join(lockDir, `${n}.json`), JSON.stringify(owner));
    return owner;
  };

  const refusal = async (attempt: Promise<unknown>): Promise<DataDirInUseError> => {
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataDirInUseError);
    return error as DataDirInUseError;
  };

  const records = async () => (await readdir(lockDir)).filter((name) => name.endsWith('.json'));

  it('refuses a second owner in this process, naming the folder and the owner', async () => {
    await acquire();
    const error = await refusal(acquireDataDirLock(dataDir));
    expect(error.reason).toBe('this-process');
    expect(error.message).toContain(dataDir);
    expect(error.message).toContain(`pid ${process.pid}`);
  });

  it('refuses a second process, naming the folder, the owner pid, host, start time and command, and what to do', async () => {
    const holder = await racer();
    racers.push(holder);
    expect((await holder.tryToOwn(dataDir)).outcome).toBe('owner');

    const error = await refusal(acquireDataDirLock(dataDir));
    expect(error.reason).toBe('alive');
    expect(error.owner).toMatchObject({ pid: holder.child.pid, host: hostname() });
    expect(error.message).toContain(`The data folder ${dataDir} is in use by another process: pid ${holder.child.pid}`);
    expect(error.message).toContain(`host ${hostname()}`);
    expect(error.message).toContain(`started ${error.owner!.startedAt}`);
    expect(error.message).toContain('lock-racer.ts');
    expect(error.message).toContain('Stop that process first');
  });

  it('gives the folder back on release, and a released folder is taken without judging its owner', async () => {
    const first = await acquire();
    await first.release();
    await first.release();
    const second = await acquire();
    expect(second.recordPath).not.toBe(first.recordPath);
    expect(await records()).toEqual([path.basename(second.recordPath)]);
  });

  it('takes over at once the lock of a process killed with SIGKILL', async () => {
    const holder = await racer();
    expect((await holder.tryToOwn(dataDir)).outcome).toBe('owner');
    holder.child.kill('SIGKILL');
    await holder.exited;

    const lock = await acquire();
    // The dead owner's record is gone; ours is the only one.
    expect(await records()).toEqual([path.basename(lock.recordPath)]);
  });

  it('takes over a record whose pid is not alive', async () => {
    await leaveRecord({ pid: await deadPid() });
    await expect(acquire()).resolves.toBeDefined();
  });

  it('takes over a record whose pid is alive but started at another time (a reused pid)', async () => {
    const holder = await racer();
    racers.push(holder);
    expect((await holder.tryToOwn(dataDir)).outcome).toBe('owner');
    const file = path.join(lockDir, '1.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as LockOwner;
    expect(record.startTicks).toMatch(/^\d+$/);
    // The same live pid, but the record says it started at another moment: a different process.
    await writeFile(file, JSON.stringify({ ...record, startTicks: String(Number(record.startTicks) + 1) }));
    await expect(acquire()).resolves.toBeDefined();
  });

  it("takes over a record with this process's pid that this process does not hold (a container's next pid 1)", async () => {
    await leaveRecord({ nonce: 'an-earlier-incarnation' });
    await expect(acquire()).resolves.toBeDefined();
  });

  it("never presumes another host's lock dead: refuses, saying how to remove it", async () => {
    await leaveRecord({ host: 'elsewhere.example', pid: await deadPid() });
    const error = await refusal(acquireDataDirLock(dataDir));
    expect(error.reason).toBe('other-host');
    expect(error.message).toContain('on another host');
    expect(error.message).toContain('host elsewhere.example');
    expect(error.message).toContain(`delete ${lockDir}`);
  });

  it('refuses an unreadable lock record, saying how to remove it', async () => {
    await mkdir(lockDir);
    await writeFile(path.join(lockDir, '1.json'), '{"pid": ');
    const error = await refusal(acquireDataDirLock(dataDir));
    expect(error.reason).toBe('unreadable');
    expect(error.message).toContain(`delete ${lockDir}`);
  });

  let goneOwner: number | undefined;
  /** A fresh folder for one round of a race, with a dead owner's lock when `deadLock`. */
  const raceFolder = async (round: number, deadLock: boolean) => {
    const folder = path.join(dataDir, `round-${round}`);
    if (deadLock) {
      await mkdir(path.join(folder, LOCK_NAME), { recursive: true });
      const record = { ...(await thisProcess()), pid: (goneOwner ??= await deadPid()) };
      await writeFile(path.join(folder, LOCK_NAME, '1.json'), JSON.stringify(record));
    } else await mkdir(folder);
    return folder;
  };

  const onlyRecord = async (folder: string) =>
    (await readdir(path.join(folder, LOCK_NAME))).filter((name) => name.endsWith('.json'));

  it.each([
    ['a free folder', false],
    ['a dead lock', true],
  ])('gives exactly one owner among many racing in this process, on %s', async (_, deadLock) => {
    for (let round = 0; round < 10; round++) {
      const folder = await raceFolder(round, deadLock);
      // Started a few milliseconds apart, so that one racer's reading falls between another's steps.
      const attempt = async (i: number) => {
        await new Promise((r) => setTimeout(r, (i * 7 + round) % 6));
        return acquireDataDirLock(folder);
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => attempt(i)));
      const owners = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
      locks.push(...owners);
      expect(owners).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DataDirInUseError);
      expect(await onlyRecord(folder)).toEqual([path.basename(owners[0]!.recordPath)]);
    }
  });

  it('gives exactly one owner among processes racing to take over a dead lock', async () => {
    racers.push(...(await Promise.all(Array.from({ length: 8 }, () => racer()))));
    for (let round = 0; round < 20; round++) {
      const folder = await raceFolder(round, true);
      const results = await Promise.all(racers.map((r) => r.tryToOwn(folder)));

      const owners = results.filter((r) => r.outcome === 'owner');
      expect(owners).toHaveLength(1);
      for (const r of results.filter((x) => x.outcome === 'refused')) {
        expect(r.reason).toBe('alive');
        expect(r.message).toContain(`pid ${owners[0]!.pid}`);
      }
      expect(await onlyRecord(folder)).toHaveLength(1);
    }
  }, 60_000);
});
