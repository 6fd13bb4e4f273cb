import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { registerEscalationSubmit } from './escalation-submit.ts';
import { registerUnknownView } from './unknown-view.ts';

export function register(app: App, deps: ListenerDeps): void {
  registerEscalationSubmit(app, deps);
  registerUnknownView(app);
}
