#!/usr/bin/env node
// Entry for `npx concierge`. The sources are TypeScript run directly by Node's type stripping,
// which needs Node 22.12 or newer; say so plainly instead of failing on a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `concierge needs Node.js 22.12 or newer (24 recommended, see .nvmrc); this is ${process.version}.\n`,
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
