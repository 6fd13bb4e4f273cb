// A CommonJS module loaded on first use instead of when its parent requires it: packages often
// require every transport or feature they ship at load (Bolt its Socket Mode client and OAuth
// installer, libSQL its remote clients) while this bot uses one. Start-up time and memory for code
// that never runs.
import { Module } from 'node:module';

/**
 * Puts a stand-in for the module at `path` (a resolved file) in `require`'s cache: the parent gets
 * the stand-in, and the first property read on it loads the real module. Does nothing when the
 * module is loaded already.
 */
export function deferUntilUsed(require: NodeJS.Require, path: string): void {
  if (require.cache[path]) return;
  const standIn = new Module(path);
  let real: Record<string | symbol, unknown> | undefined;
  const load = (): Record<string | symbol, unknown> => {
    if (require.cache[path] === standIn) delete require.cache[path];
    real ??= require(path) as Record<string | symbol, unknown>;
    return real;
  };
  standIn.filename = path;
  standIn.loaded = true;
  standIn.exports = new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });
  require.cache[path] = standIn;
}
