// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// SDKs and the Prisma client may appear only in their adapters (../shared/STYLE.md).
const sdkImports = [
  { group: ['@slack/*', '@slack/bolt'], message: 'Slack SDKs belong in src/slack/ only.' },
  { group: ['xero-node', 'xero-node/*', 'openid-client', 'openid-client/*'], message: 'xero-node and its openid-client belong in src/xero/ only.' },
  { group: ['openai', 'openai/*'], message: 'openai belongs in src/llm/ only.' },
  { group: ['@prisma/*', '**/db/generated/**'], message: 'The Prisma client belongs in src/db/ only.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'src/db/generated/', 'coverage/', 'dist/', 'dist.*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Outside src/db/ the database is reached through its repositories, never the Prisma client
    // (placed before the domain rule, which repeats this pattern among the others).
    files: ['src/**'],
    ignores: ['src/db/**', 'src/xero/**', 'src/llm/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports[1], sdkImports[2], sdkImports[3]] }] },
  },
  {
    // The console renders answers and cases from domain values and shares words through src/copy/;
    // it never reaches into the Slack layer. The /concierge subcommands' replies are the one
    // exception left, kept to a single file.
    files: ['src/console/**'],
    ignores: ['src/console/slack-command-replies.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            sdkImports[1],
            sdkImports[2],
            sdkImports[3],
            { group: ['**/slack/**'], message: 'src/console must not import src/slack: render from domain values and share words through src/copy/.' },
          ],
        },
      ],
    },
  },
  {
    // src/xero/ is the one home of xero-node; src/db/ has no business with it either.
    files: ['src/xero/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports[2], sdkImports[3]] }] },
  },
  {
    files: ['src/db/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports[1], sdkImports[2]] }] },
  },
  {
    // src/llm/ is the one home of openai, and talks to nothing else.
    files: ['src/llm/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports[0], sdkImports[1], sdkImports[3]] }] },
  },
  {
    // Domain code stays free of every SDK.
    files: ['src/knowledge/**', 'src/support/**', 'src/jobs/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: sdkImports }] },
  },
  {
    // process.env has exactly one reader.
    files: ['src/**'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
);
