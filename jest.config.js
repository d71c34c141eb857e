/**
 * Jest runs TypeScript through swc; the Prisma schema engine's WebAssembly glue and p-retry (with
 * is-network-error) and any-ascii ship as ESM only, so they are transformed too.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // The chart module loads Vega, an ES module only, with a native import() (Jest's require cannot load it).
    '^.+/src/charts/.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs', ignoreDynamic: true } },
    ],
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@prisma/schema-engine-wasm|p-retry|is-network-error|any-ascii)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // PGlite's WebAssembly runtime keeps a handle open after close() inside Jest's VM; nothing of ours is left running.
  forceExit: true,
};
