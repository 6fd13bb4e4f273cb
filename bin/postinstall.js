// `npm ci`/`npm install` postinstall: checks the Node version, then generates the Prisma clients.
import { requireNode } from './require-node.js';

requireNode('Set-up (npm ci)');
await import('../scripts/db-generate.ts');
