// The parts of Bolt the app runs, each taken from its own file. Bolt's index loads every receiver
// it ships (Express with body-parser and qs, AWS Lambda), and its App loads Socket Mode's
// WebSocket client (undici, about 60 modules) even for an app that runs over HTTP: together about
// 10 MB of memory and 150-300 ms of start-up for code an HTTP-mode bot never runs (measured with
// `npm run bench:slack`). Types still come from '@slack/bolt' itself (`import type`, erased).
import { createRequire } from 'node:module';
import type * as Bolt from '@slack/bolt';
import { deferUntilUsed } from '../defer-module.ts';

const require = createRequire(import.meta.url);

// Socket Mode's WebSocket client (undici, about 60 modules); the OAuth installer (jsonwebtoken,
// semver and more: about 10 MB and 50 ms of start-up) for a bot installed with one token.
// Bolt's receivers read from them only when one is built with Socket Mode or OAuth (SocketModeClient, InstallProvider).
deferUntilUsed(require, require.resolve('@slack/socket-mode'));
deferUntilUsed(require, require.resolve('@slack/oauth'));

export const App = (require('@slack/bolt/dist/App.js') as { default: typeof Bolt.App }).default;
export const SocketModeReceiver = (require('@slack/bolt/dist/receivers/SocketModeReceiver.js') as { default: typeof Bolt.SocketModeReceiver }).default;
export const { Assistant } = require('@slack/bolt/dist/Assistant.js') as Pick<typeof Bolt, 'Assistant'>;
export const { ErrorCode, ReceiverMultipleAckError } = require('@slack/bolt/dist/errors.js') as Pick<typeof Bolt, 'ErrorCode' | 'ReceiverMultipleAckError'>;
export const { onlyActions, onlyCommands, onlyEvents, onlyOptions, onlyShortcuts, onlyViewActions } = require('@slack/bolt/dist/middleware/builtin.js') as Pick<
  typeof Bolt,
  'onlyActions' | 'onlyCommands' | 'onlyEvents' | 'onlyOptions' | 'onlyShortcuts' | 'onlyViewActions'
>;
export type App = Bolt.App;
export type SocketModeReceiver = Bolt.SocketModeReceiver;
export type Assistant = Bolt.Assistant;
