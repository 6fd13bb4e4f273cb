// Modals from older versions (or forged payloads): closed cleanly instead of timing out.
import type { App } from '@slack/bolt';
import { viewIds } from '../../ids.ts';

export function registerUnknownView(app: App): void {
  const known = new Set<string>(Object.values(viewIds));
  app.view({ type: 'view_submission' }, async ({ ack, view }) => {
    if (!known.has(view.callback_id)) await ack();
  });
  app.view({ type: 'view_closed' }, async ({ ack }) => {
    await ack();
  });
}
