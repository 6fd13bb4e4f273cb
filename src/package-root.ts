// The project folder (package.json, knowledge/, prisma/), found from where this module runs:
// src/ and dist/ files and the chunks of the start-up bundle sit at different depths below it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`xero-concierge's package.json was not found above ${from}: run it from its project folder.`);
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
