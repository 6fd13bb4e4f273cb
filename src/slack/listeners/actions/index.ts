import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { registerAnswerButtons } from './answer-buttons.ts';
import { registerCancelDisconnect } from './cancel-disconnect.ts';
import { registerCaseButtons } from './case-buttons.ts';
import { registerConfirmDisconnect } from './confirm-disconnect.ts';
import { registerConnectXero } from './connect-xero.ts';
import { registerEscalationTriage } from './escalation-triage.ts';
import { registerFailedSyncButtons } from './failed-sync-buttons.ts';
import { registerDiagnoseFailedSync } from './diagnose-failed-sync.ts';
import { registerRestoreContact } from './restore-contact.ts';
import { registerFeedback } from './feedback.ts';
import { registerShowArticle } from './show-article.ts';
import { registerUnknownAction } from './unknown-action.ts';

export function register(app: App, deps: ListenerDeps): void {
  registerAnswerButtons(app, deps);
  registerShowArticle(app, deps);
  registerCaseButtons(app, deps);
  registerFeedback(app, deps);
  registerEscalationTriage(app, deps);
  registerFailedSyncButtons(app, deps);
  registerDiagnoseFailedSync(app, deps);
  registerRestoreContact(app, deps);
  registerConfirmDisconnect(app, deps);
  registerCancelDisconnect(app, deps);
  registerConnectXero(app, deps);
  registerUnknownAction(app, deps);
}
