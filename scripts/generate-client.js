#!/usr/bin/env node
// Generates the Prisma client on `npm install` (postinstall). `prisma generate` first checks that a native
// schema engine exists and would download one, which this project never runs (migrations use the
// WebAssembly engine), so any existing file stands in for it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
