import { openDatabase } from './src/db/database';
(async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  let t = performance.now();
  await db.prisma.$connect();
  console.log('connect', (performance.now() - t).toFixed(0));
  t = performance.now();
  await db.prisma.$queryRaw`SELECT 1`;
  console.log('first query', (performance.now() - t).toFixed(0));
  t = performance.now();
  await db.prisma.$queryRaw`SELECT 1`;
  console.log('second query', (performance.now() - t).toFixed(0));
  await db.close();
})();
