// The parts of Bolt the app runs, each taken from its own file. Bolt's index loads every receiver
// it ships (Express with body-parser and qs, AWS Lambda), and its App loads Socket Mode's
// WebSocket client (undici, about 60 modules) even for an app that runs over HTTP: together about
// 10 MB of memory and 150-300 ms of start-up for code an HTTP-mode bot never runs (measured with
// `npm run bench:slack`). Types still come from '@slack/bolt' itself (`import type`, erased).
import { createRequire, Module } from 'node:module';
import type * as Bolt from '@slack/bolt';

const require = createRequire(import.meta.url);

/**
 * Puts a stand-in for `name` in the module cache: Bolt's receivers read from these modules only
 * when one is built with Socket Mode or OAuth (SocketModeClient, InstallProvider), and the first
 * read loads the real module.
 */
function deferUntilUsed(name: string): void {
  const id = require.resolve(name);
  if (require.cache[id]) return;
  const standIn = new Module(id);
  let real: Record<string | symbol, unknown> | undefined;
  const load = (): Record<string | symbol, unknown> => {
    if (require.cache[id] === standIn) delete require.cache[id];
    real ??= require(name) as Record<string | symbol, unknown>;
    return real;
  };
  standIn.filename = id;
  standIn.loaded = true;
  standIn.exports = new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });
  require.cache[id] = standIn;
}

// Socket Mode's WebSocket client (undici, about 60 modules); the OAuth installer (jsonwebtoken,
// semver and more: about 10 MB and 50 ms of start-up) for a bot installed with one token.
deferUntilUsed('@slack/socket-mode');
deferUntilUsed('@slack/oauth');

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
