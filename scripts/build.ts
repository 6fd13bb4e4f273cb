// `npm run build`: compiles src/ to dist/ (types removed, one .js file per source; `npm run
// typecheck` checks the types), then bundles what `npm start` loads into dist/main.js and
// dist/chunks/: our own modules only (packages stay in node_modules), each module loaded lazily
// (Xero, OpenAI, the schema engine) still its own chunk. One file instead of about 200 saves
// start-up time (see `npm run bench:slack`); the other files of dist/ stay for anyone importing
// one module. dist/knowledge-cache.json holds the bundled articles already parsed. `npm start`
// runs dist/ only while it matches the sources (bin/compiled.js). Built next to dist/ and swapped
// in, so a process starting meanwhile finds the old build, none (and runs src/), or the new one.
import { spawnSync } from 'node:child_process';
import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
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
// Bundled beside the compiled files, then moved over them: dist/main.js and dist/chunks/ keep the relative paths between them.
const bundled = join(staging, 'bundle');
try {
  const { build } = await import('rolldown');
  await build({
    input: join(staging, 'main.js'),
    platform: 'node',
    // Packages and Node's own modules are loaded from where they are installed, as before.
    external: (id) => isBuiltin(id) || !/^[./]/.test(id),
    logLevel: 'warn',
    output: {
      dir: bundled,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // Maps beside the bundle (read by nobody at run time) name each line's source file, for profiles such as bench:slack's.
      sourcemap: true,
      sourcemapPathTransform: (source, mapPath) => {
        // Compiled from staging/x.js, which came from src/x.ts; relative to where the map will live in dist/.
        const original = join(rootDir, 'src', relative(staging, join(dirname(mapPath), source))).replace(/\.js$/, '.ts');
        return relative(join(distDir, relative(bundled, dirname(mapPath))), original);
      },
    },
  });
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`Bundling dist/main.js failed (${error instanceof Error ? error.message : String(error)}); npm start keeps running src/ by type stripping.`);
  process.exit(1);
}
renameSync(join(bundled, 'main.js'), join(staging, 'main.js'));
renameSync(join(bundled, 'main.js.map'), join(staging, 'main.js.map'));
renameSync(join(bundled, 'chunks'), join(staging, 'chunks'));
rmSync(bundled, { recursive: true, force: true });
// The bundled articles, parsed now so that npm start need not (src/knowledge/knowledge-cache.ts).
try {
  const { writeKnowledgeCache } = await import('../src/knowledge/knowledge-cache.ts');
  writeKnowledgeCache(join(rootDir, 'knowledge'), join(staging, 'knowledge-cache.json'));
} catch (error) {
  console.warn(`The articles in knowledge/ were not cached (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); npm start parses them.`);
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
console.log(`Compiled and bundled src/ to dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s; npm start runs it until a source changes.`);
