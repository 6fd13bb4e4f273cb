// Every listener, registered by kind. Each folder's index.ts exports register(app, deps).
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps.ts';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import * as events from './events/index.ts';
import * as shortcuts from './shortcuts/index.ts';
import * as views from './views/index.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  events.register(app, deps);
  commands.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  shortcuts.register(app, deps);
}
