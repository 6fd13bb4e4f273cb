#!/usr/bin/env node
// Entry for `npx concierge`. The Node version is checked before any TypeScript source loads.
import { requireNode } from './require-node.js';

requireNode('concierge');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
