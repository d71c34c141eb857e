const t0 = performance.now();
const root = process.env.ROOT!;
(async () => {
  const { start } = await import(root + '/src/server');
  const { loadConfig } = await import(root + '/src/config/config');
  const t1 = performance.now();
  const s = await start({ ...loadConfig({}), port: 0, dataDir: process.env.DATA_DIR, logLevel: 'silent', databaseUrl: undefined });
  const t2 = performance.now();
  const r = await fetch(s.url + '/api/ready');
  const t3 = performance.now();
  const cpu = process.cpuUsage();
  console.log(`${root.padEnd(15)} import ${(t1 - t0).toFixed(0)}  start ${(t2 - t1).toFixed(0)}  ready ${(t3 - t2).toFixed(0)} (${r.status})  total ${(t3 - t0 + performance.timeOrigin - performance.timeOrigin).toFixed(0)}  cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)}`);
  await s.stop();
  process.exit(0);
})();
