import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A pino log line of the server (its JSON fields). */
export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServerProcess {
  npm: ChildProcess;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  /** Its JSON log lines so far. */
  lines(): LogLine[];
  /** Resolves with the first log line for which `match` holds (rejects after `timeoutMs` or if it exits first). */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<Exit>;
  /** Resolves with the exit, or rejects after `timeoutMs`. */
  exit(timeoutMs: number): Promise<Exit>;
  /** SIGKILL to npm's whole process group (npm and the server under it), if any is left: a test's clean-up. */
  kill(): void;
}

/** The environment of a server on a free port with info logs, no admin token, and `env` on top. */
export function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  delete base.DATABASE_URL;
  delete base.ADMIN_TOKEN;
  delete base.DATA_DIR;
  return { ...base, ...env };
}

/** Whether a process of this id is running. */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `npm start` as a user would, with `env` (see `serverEnv`). */
export function npmStart(env: NodeJS.ProcessEnv): ServerProcess {
  return npmRun(['start'], env);
}

/**
 * Runs `npm <args>` (`start`, `run scenario -- …`) with `env` (see `serverEnv`), in a process group of
 * its own, so that `kill()` ends whatever it started with it.
 */
export function npmRun(args: string[], env: NodeJS.ProcessEnv): ServerProcess {
  const npm = spawn('npm', args, { cwd: ROOT, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const parsed: LogLine[] = [];
  const listeners = new Set<() => void>();
  /** Each stream keeps its own unfinished line: a chunk of stderr must not land inside a line of stdout. */
  const reader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      partial += text;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        try {
          parsed.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line.
        }
      }
      for (const listener of listeners) listener();
    };
  };
  npm.stdout!.on('data', reader());
  npm.stderr!.on('data', reader());
  // 'exit' can come before the last of the output is read: wait for the pipes to close as well, unless a
  // process it left behind holds them open (then give up on them after a moment).
  const exited = new Promise<Exit>((resolve) =>
    npm.once('exit', (code, signal) => {
      const settle = () => resolve({ code, signal });
      npm.once('close', settle);
      setTimeout(settle, 2_000).unref();
    }),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  return {
    npm,
    output: () => output,
    lines: () => parsed,
    waitForLine(match, timeoutMs = 110_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = parsed.find(match);
          if (found) finish(() => resolve(found));
          else if (done) finish(() => reject(new Error(`the server exited before the line awaited:\n${output}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no such line in time:\n${output}`))), timeoutMs);
        const finish = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
    exited,
    exit: (timeoutMs) =>
      Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${output}`)), timeoutMs).unref(),
        ),
      ]),
    kill() {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    },
  };
}

/** Waits for its "listening" line: the URL it serves on and the server's own process id (npm's child). */
export async function listening(server: ServerProcess, timeoutMs = 110_000): Promise<{ url: string; pid: number }> {
  const line = await server.waitForLine((l) => l.msg === 'listening', timeoutMs);
  return { url: line.url as string, pid: line.pid as number };
}
