// Generates the Prisma clients for both providers into src/db/generated/ (gitignored).
// Runs on `npm install`/`npm ci` (postinstall) and after `npm run db:migration`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { providers, schemaPath } from '../src/db/schema-files.ts';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = {
  ...process.env,
  // `prisma generate` never runs the native schema engine, but the CLI tries to download it
  // unless this names an existing file; offline that download fails. Any file will do.
  PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
  // No update checks or telemetry: nothing may leave this machine.
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

for (const provider of providers) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath(provider)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${provider} (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
