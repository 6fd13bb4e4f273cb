// `npm start`: checks the Node version, then runs the bot (src/main.ts).
import { requireNode } from './require-node.js';

requireNode('npm start');
await import('../src/main.ts');
