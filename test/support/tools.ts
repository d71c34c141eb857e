import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * External renderers some tests use: Graphviz `dot` and a headless Chromium. `.ci/run` installs
 * them; on a machine without them those suites are left out with a warning, except in CI (`CI` or
 * `REQUIRE_RENDERERS` set), where a missing one is an error.
 */
const required = Boolean(process.env.CI || process.env.REQUIRE_RENDERERS);

function missing(tool: string): false {
  if (required) throw new Error(`${tool} is required in CI (.ci/run installs it)`);
  console.warn(`${tool} not found: its tests are left out (install it, or run .ci/run)`);
  return false;
}

export function hasDot(): boolean {
  try {
    execFileSync('dot', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return missing('Graphviz dot');
  }
}

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  missing('Chromium');
  return null;
}

/** Flags for Chromium on these machines: no sandbox as root, and no background network calls (the network is closed). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A port free now: a server whose public URL (the token sheet's links) must name the port it will listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}
