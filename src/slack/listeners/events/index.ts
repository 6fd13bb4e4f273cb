import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { registerAppHomeOpened } from './app-home-opened.ts';
import { registerAppMention } from './app-mention.ts';
import { createAssistant } from './assistant.ts';
import { registerDirectMessage } from './direct-message.ts';
import { registerCaseReply } from './case-reply.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.assistant(createAssistant(deps));
  registerAppMention(app, deps);
  registerDirectMessage(app, deps);
  registerCaseReply(app, deps);
  registerAppHomeOpened(app, deps);
}
