// @ts-check
/**
 * How the source may depend on itself (`npm run deps`, run by CI): no import cycle, a kernel that
 * imports no feature, pure machines, and feature folders in layers, each importing only the ones
 * below it. The app is composed at the top (src/app.ts, src/server.ts, src/main.ts).
 */

/** Feature folders from the bottom up; a folder may import those before it, never those after. */
const LAYERS = [
  ['kernel', 'config', 'countries', 'db', 'charts'],
  ['exercises'],
  ['notices'],
  ['messages'],
  ['databases'],
  ['circulation'],
  ['scenarios', 'simulation'],
  ['reports', 'diagrams', 'stream', 'dashboard'],
  ['headless'],
];

const folder = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  // Folders of the same layer do not import each other either (but the bottom one's are independent).
  const beside = i === 0 ? [] : layer;
  return layer.map((name) => ({
    name: `layer-${name}`,
    comment: `${name} imports only the feature folders below its layer`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: { path: folder([...above, ...beside.filter((other) => other !== name)]) },
  }));
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes the modules one tangle: break it by moving the shared part down',
      severity: 'error',
      from: { pathNot: '^src/generated/' },
      to: { circular: true, pathNot: '^src/generated/' },
    },
    {
      name: 'kernel-imports-no-feature',
      comment: 'The shared kernel (errors, validation, routes, auth, machine evaluation) is imported by features, never the reverse',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'composed-at-the-top',
      comment: 'Only the entry points wire the app; a feature never imports them',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|server|main)\\.ts$' },
      to: { path: '^src/(app|server|main)\\.ts$' },
    },
    {
      name: 'machines-are-pure',
      comment: 'A machine file imports xstate and domain types, never the database or HTTP',
      severity: 'error',
      from: { path: '-machine\\.ts$' },
      to: { path: '(^src/(generated|db)/|node_modules/(express|@prisma|pg|@electric-sql)/)' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
