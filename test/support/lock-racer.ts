/**
 * A process that tries to own data folders, for the lock's race tests:
 * `node --import tsx test/support/lock-racer.ts` prints `ready`, then for each folder named on a line
 * of stdin tries once and prints `{"outcome":"owner",…}` or `{"outcome":"refused","reason":…,"message":…}`.
 * It holds what it got until stdin ends.
 */
import { createInterface } from 'node:readline';
import { acquireDataDirLock, DataDirInUseError } from '../../src/db/data-dir-lock';

const lines = createInterface({ input: process.stdin });
lines.on('line', (dataDir) => {
  acquireDataDirLock(dataDir).then(
    () => console.log(JSON.stringify({ outcome: 'owner', pid: process.pid })),
    (error: unknown) => {
      if (!(error instanceof DataDirInUseError)) throw error;
      console.log(
        JSON.stringify({ outcome: 'refused', pid: process.pid, reason: error.reason, message: error.message }),
      );
    },
  );
});
lines.on('close', () => process.exit(0));
console.log('ready');
