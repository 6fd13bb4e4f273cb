import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { registerConciergeCommand } from './concierge.ts';

export function register(app: App, deps: ListenerDeps): void {
  registerConciergeCommand(app, deps);
}
