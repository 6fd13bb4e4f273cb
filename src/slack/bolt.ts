// The parts of Bolt the app runs, each taken from its own file. Bolt's index loads every receiver
// it ships (Express with body-parser and qs, AWS Lambda), and its App loads Socket Mode's
// WebSocket client (undici, about 60 modules) even for an app that runs over HTTP: together about
// 10 MB of memory and 150-300 ms of start-up for code an HTTP-mode bot never runs (measured with
// `npm run bench:slack`). Types still come from '@slack/bolt' itself (`import type`, erased).
import { createRequire, Module } from 'node:module';
import type * as Bolt from '@slack/bolt';
import type * as SocketMode from '@slack/socket-mode';

const require = createRequire(import.meta.url);

/**
 * Puts a stand-in for @slack/socket-mode in the module cache: Bolt's Socket Mode receiver reads
 * `SocketModeClient` from it only when one is built, and that first read loads the real module.
 */
function deferSocketModeClient(): void {
  const id = require.resolve('@slack/socket-mode');
  if (require.cache[id]) return;
  const standIn = new Module(id);
  let real: typeof SocketMode | undefined;
  const load = (): typeof SocketMode => {
    if (require.cache[id] === standIn) delete require.cache[id];
    real ??= require('@slack/socket-mode') as typeof SocketMode;
    return real;
  };
  standIn.filename = id;
  standIn.loaded = true;
  standIn.exports = {
    get SocketModeClient() {
      return load().SocketModeClient;
    },
  };
  require.cache[id] = standIn;
}

deferSocketModeClient();

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
