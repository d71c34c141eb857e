#!/usr/bin/env node
/**
 * `npm start`: the server from dist/main.js, built first when src/ changed since the last build
 * (scripts/build.js says what counts), so an edit is never run stale and a fresh clone needs no
 * step of its own. It runs in this process: `npm start`'s `exec` leaves it the process that
 * npm's signals reach, as `node --import tsx src/main.ts` was before.
 */

// Node 22.1 and later keep V8's compiled code of the CommonJS files they load in a cache on disk
// (in the system's temporary folder), so a start after the first skips compiling them; Node 20
// has no such cache and starts as before. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
require('node:module').enableCompileCache?.();

require('./build').start();
