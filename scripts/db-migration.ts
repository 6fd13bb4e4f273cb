// `npm run db:migration -- <name>`: renders both provider schemas from prisma/models.prisma,
// writes the next migration for each provider (the difference between the committed
// migrations and the schema, computed by the wasm schema engine), then regenerates the clients.
//
// The engine applies the committed migrations to a scratch database to see where they lead: a
// temporary SQLite file, and for PostgreSQL a temporary database it creates and drops on
// SHADOW_DATABASE_URL (default: the local server, postgresql://postgres@127.0.0.1:5432/postgres).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaChangesSinceMigrations } from '../src/db/migration-diff.ts';
import { migrationsDir, providers, renderSchema, schemaPath } from '../src/db/schema-files.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name) || process.argv.length > 3) {
  console.error('Usage: npm run db:migration -- <name>   (name: lower-case letters, digits and _, e.g. add_contact_table)');
  process.exit(2);
}

const postgresUrl = process.env.SHADOW_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const timestamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const migrationName = `${timestamp}_${name}`;

for (const provider of providers) {
  const rendered = renderSchema(provider);
  if (!existsSync(schemaPath(provider)) || readFileSync(schemaPath(provider), 'utf8') !== rendered) {
    mkdirSync(join(schemaPath(provider), '..'), { recursive: true });
    writeFileSync(schemaPath(provider), rendered);
  }
}

for (const provider of providers) {
  const sql = await schemaChangesSinceMigrations(provider, { postgresUrl });
  if (sql === null) {
    console.log(`${provider}: schema matches the committed migrations; no migration written.`);
    continue;
  }
  const dir = migrationsDir(provider);
  mkdirSync(join(dir, migrationName), { recursive: true });
  writeFileSync(join(dir, migrationName, 'migration.sql'), sql);
  const lock = join(dir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    writeFileSync(lock, `# Written by npm run db:migration; do not edit.\nprovider = "${provider}"\n`);
  }
  console.log(`${provider}: wrote prisma/${provider}/migrations/${migrationName}/migration.sql`);
}

const generate = spawnSync(process.execPath, [new URL('./db-generate.ts', import.meta.url).pathname], { stdio: 'inherit' });
process.exit(generate.status ?? 1);
