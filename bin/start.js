// `npm start`: checks the Node version, then runs the bot: dist/main.js when dist/ is a build of
// the current sources (`npm run build`; npm ci makes one), else src/main.ts by type stripping.
import { requireNode } from './require-node.js';

requireNode('npm start');
// glibc gives threads their own malloc arenas; V8's helper threads leave about 12 MB in them that
// two arenas shared by all threads do not (see `npm run bench:slack`). The variable only works
// from the process's start, so the process replaces itself once with it set (same pid, same
// file descriptors). Set MALLOC_ARENA_MAX yourself to choose another value.
if (process.platform === 'linux' && process.env.MALLOC_ARENA_MAX === undefined && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, MALLOC_ARENA_MAX: '2' });
}
const { entryUrl } = await import('./compiled.js');
await import(entryUrl('main.ts'));
