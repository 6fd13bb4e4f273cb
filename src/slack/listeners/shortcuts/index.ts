import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { shortcutIds } from '../../ids.ts';
import { registerReportXeroError } from './report-xero-error.ts';

export function register(app: App, deps: ListenerDeps): void {
  registerReportXeroError(app, deps);
  // Shortcuts this version does not declare: acknowledged so Slack shows no error.
  const known = new Set<string>(Object.values(shortcutIds));
  app.shortcut(/.*/, async ({ ack, shortcut }) => {
    if (!known.has(shortcut.callback_id)) await ack();
  });
}
