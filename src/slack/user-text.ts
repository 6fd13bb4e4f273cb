// The words moved to src/copy/user-text.ts (Slack and the console share them); still importable from here.
export * from '../copy/user-text.ts';
