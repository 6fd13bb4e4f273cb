// Generates the Prisma clients for both providers into src/db/generated/ (gitignored).
// Runs on `npm install`/`npm ci` (postinstall) and after `npm run db:migration`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

// The generated client imports its query compiler as a module that holds the WebAssembly as a
// base64 string. Modules are never unloaded, so that string, and the module's source text (the
// same again), would stay in memory for the life of the process: about 4 MB. Reading the file
// instead lets both go once the compiler is built.
const compilerImport = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_\w+\.\w+\.wasm-base64\.mjs)"\)\n(\s*)return await decodeBase64AsWasm\(wasm\)/;
for (const provider of providers) {
  const classFile = new URL(`../src/db/generated/${provider}/internal/class.ts`, import.meta.url);
  const generated = readFileSync(classFile, 'utf8');
  const match = compilerImport.exec(generated);
  if (!match) {
    console.warn(`note: ${provider} client: the query compiler import has a new shape; it stays loaded as a module (about 4 MB more memory).`);
    continue;
  }
  const [whole, specifier, indent] = match;
  const readOnce = [
    `const { readFile } = await import('node:fs/promises')`,
    `const { createRequire } = await import('node:module')`,
    `const source = await readFile(createRequire(import.meta.url).resolve(${JSON.stringify(specifier)}), 'utf8')`,
    `return await decodeBase64AsWasm(source.slice(source.indexOf('"') + 1, source.lastIndexOf('"')))`,
  ].join(`\n${indent}`);
  writeFileSync(classFile, generated.replace(whole, readOnce));
}
