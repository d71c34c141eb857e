import { defineConfig } from 'prisma/config';

// The CLI is used only to generate the client (scripts/generate-client.js); migrations run through the
// WebAssembly schema engine, so no datasource URL is needed here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
