// `npm run build`: compiles src/ to dist/ (types removed, one .js file per source, nothing
// bundled; `npm run typecheck` checks the types). `npm start` runs dist/ only while it matches
// the sources (bin/compiled.js). Built next to dist/ and swapped in, so a process starting
// meanwhile finds the old build, none (and runs src/), or the new one.
import { spawnSync } from 'node:child_process';
import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { distDir, fingerprintFile, rootDir, sourceFingerprint } from '../bin/compiled.js';

// Taken before compiling: a source edited meanwhile leaves the build stale, never wrongly current.
const fingerprint = sourceFingerprint();
const staging = `${distDir}.building-${process.pid}`;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = performance.now();
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', staging], { cwd: rootDir, stdio: 'inherit' });
if (result.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`Compiling src/ to dist/ failed (tsc exit ${result.status ?? result.signal}); npm start keeps running src/ by type stripping.`);
  process.exit(1);
}
writeFileSync(join(staging, fingerprintFile), `${fingerprint}\n`);
const previous = `${distDir}.previous-${process.pid}`;
try {
  renameSync(distDir, previous);
} catch {
  // No earlier build.
}
renameSync(staging, distDir);
rmSync(previous, { recursive: true, force: true });
console.log(`Compiled src/ to dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s; npm start runs it until a source changes.`);
