// `npm ci`/`npm install` postinstall: checks the Node version, generates the Prisma clients, then
// compiles src/ to dist/ for a leaner `npm start` when TypeScript is installed (not with --omit=dev:
// build before pruning, or npm start runs src/ by type stripping).
import { createRequire } from 'node:module';
import { requireNode } from './require-node.js';

requireNode('Set-up (npm ci)');
await import('../scripts/db-generate.ts');
let typescriptInstalled = true;
try {
  createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  typescriptInstalled = false;
}
if (typescriptInstalled) await import('../scripts/build.ts');
