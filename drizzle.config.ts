import { defineConfig } from 'drizzle-kit';

// `drizzle-kit generate` and `check` read only the schema and the migrations: no database, so no
// key. The database itself is encrypted (src/db/client.ts) and migrated at start; drizzle-kit's
// `studio`, `push` and `pull` open SQLite without a key and cannot read it.

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
