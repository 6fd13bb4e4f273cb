// Which code `npm start` runs: dist/ (src/ compiled to plain JavaScript by `npm run build`) when
// it was built from the sources exactly as they are now, else src/ through Node's type stripping.
// Compiled, the process skips loading the type stripper and keeps no TypeScript sources: about
// 20 MB less memory (see `npm run bench:slack`). A stale dist/ is never run, so development
// stays build-free. Plain JavaScript: it is imported by the launchers.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const rootDir = fileURLToPath(new URL('..', import.meta.url));
export const srcDir = join(rootDir, 'src');
export const distDir = join(rootDir, 'dist');
/** In dist/: the fingerprint of the sources it was compiled from. */
export const fingerprintFile = 'built-from.txt';

/** Every source file's name, size and modification time, hashed: what a build depends on. */
export function sourceFingerprint(sources = srcDir) {
  const lines = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const stats = statSync(path);
        lines.push(`${relative(sources, path)} ${stats.size} ${stats.mtimeMs}`);
      }
    }
  };
  walk(sources);
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** True when dist/ holds a build of the current sources (`root`: the project folder). */
export function distIsCurrent(root = rootDir) {
  try {
    return readFileSync(join(root, 'dist', fingerprintFile), 'utf8').trim() === sourceFingerprint(join(root, 'src'));
  } catch {
    return false;
  }
}

/** The module to import for `sourcePath` (relative to src/, e.g. "main.ts"): its compiled file when dist/ is current. */
export function entryUrl(sourcePath, compiled = distIsCurrent(), root = rootDir) {
  return pathToFileURL(compiled ? join(root, 'dist', sourcePath.replace(/\.ts$/, '.js')) : join(root, 'src', sourcePath)).href;
}
