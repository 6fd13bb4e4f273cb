// A version check on its own, for npm scripts that start other tools (`npm test`): the task to
// name comes from the arguments, e.g. `node bin/check-node.js npm test`.
import { requireNode } from './require-node.js';

requireNode(process.argv.slice(2).join(' ') || 'This command');
