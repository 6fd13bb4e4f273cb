// `npm start`: checks the Node version, then runs the bot: dist/main.js when dist/ is a build of
// the current sources (`npm run build`; npm ci makes one), else src/main.ts by type stripping.
import { requireNode } from './require-node.js';

requireNode('npm start');
const { entryUrl } = await import('./compiled.js');
await import(entryUrl('main.ts'));
