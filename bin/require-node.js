// The one Node version check for every entry point: set-up (npm ci's postinstall), npm start,
// npm test and npx concierge import it before any TypeScript file loads. The sources are
// TypeScript that Node runs by type stripping; an older Node dies on them with a stack trace
// (ERR_UNKNOWN_FILE_EXTENSION), so this says plainly what is needed instead. Plain JavaScript
// with nothing newer than Node 14 can parse: it has to run on the Node it turns away.

/** Shown to people and kept in step with package.json's engines. */
export const requiredNode = '22.19';

/**
 * True for a Node that can run the project: type stripping (running .ts files with no flag) is
 * on by default from 22.18 and 23.6, and undici 8 (under openai and Slack's Socket Mode) needs
 * 22.19 or newer.
 */
export function isSupportedNode(version) {
  const [major, minor] = String(version).replace(/^v/, '').split('.').map(Number);
  if (major >= 24) return true;
  if (major === 23) return minor >= 6;
  if (major === 22) return minor >= 19;
  return false;
}

/** What to tell someone whose Node is too old to run `task`. */
export function unsupportedNodeMessage(task, version, execPath) {
  return [
    `${task} needs Node.js ${requiredNode} or newer (24 LTS recommended; .nvmrc says 24).`,
    `This is Node ${version}${execPath ? ` (${execPath})` : ''}, which cannot run the project's TypeScript sources.`,
    'Get Node 24, then run it again:',
    '  with nvm:      nvm install && nvm use   (both read .nvmrc)',
    '  without root:  npm install --prefix ~/.cache/node24 node@24',
    '                 export PATH="$HOME/.cache/node24/node_modules/node/bin:$PATH"',
    '  or download it from https://nodejs.org',
    '',
  ].join('\n');
}

/** Stops the process with the message and exit status 1 when this Node is too old for `task`. */
export function requireNode(task) {
  if (isSupportedNode(process.version)) return;
  process.stderr.write(unsupportedNodeMessage(task, process.version, process.execPath));
  process.exit(1);
}
