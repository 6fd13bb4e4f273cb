// Where the Prisma schema and migrations of each provider live, and how the per-provider
// schemas are rendered from the one shared model file (a Prisma schema names one provider).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

export type DatabaseProvider = 'sqlite' | 'postgresql';
export const providers: readonly DatabaseProvider[] = ['sqlite', 'postgresql'];

export const prismaDir = join(packageRoot, 'prisma');
export const modelsPath = join(prismaDir, 'models.prisma');

export function schemaPath(provider: DatabaseProvider): string {
  return join(prismaDir, provider, 'schema.prisma');
}

export function migrationsDir(provider: DatabaseProvider): string {
  return join(prismaDir, provider, 'migrations');
}

/** The schema file for one provider: a generator and datasource header, then the shared models. */
export function renderSchema(provider: DatabaseProvider, models = readFileSync(modelsPath, 'utf8')): string {
  return `// Generated from prisma/models.prisma by \`npm run db:migration\`; edit that file instead.

generator client {
  provider            = "prisma-client"
  output              = "../../src/db/generated/${provider}"
  runtime             = "nodejs"
  moduleFormat        = "esm"
  importFileExtension = "ts"
  compilerBuild       = "small"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}
