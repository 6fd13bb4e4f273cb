// Every action_id, callback_id and block_id the app sends and listens for, in one place, so a
// builder and its listener can never disagree. manifest.yml repeats the command and shortcut.

export { commandName } from '../copy/concierge-grammar.ts';

export const shortcutIds = {
  reportXeroError: 'report_xero_error',
} as const;

export const actionIds = {
  reconnect: 'answer_reconnect',
  retryFailed: 'answer_retry_failed',
  showFailedSyncs: 'answer_show_failed_syncs',
  checkConnection: 'answer_check_connection',
  escalate: 'answer_escalate',
  // Slack refuses a message whose buttons share an action_id in one block, so each of the
  // closest articles has its own; the first keeps the id older messages carry.
  showArticle: 'answer_show_article',
  showArticle2: 'answer_show_article_2',
  showArticle3: 'answer_show_article_3',
  shareAnswer: 'answer_share',
  feedbackHelpful: 'feedback_helpful',
  feedbackNotHelpful: 'feedback_not_helpful',
  claimEscalation: 'escalation_claim',
  resolveEscalation: 'escalation_resolve',
  retrySync: 'failed_sync_retry',
  retryAllSyncs: 'failed_sync_retry_all',
  archiveSync: 'failed_sync_archive',
  confirmDisconnect: 'xero_disconnect_confirm',
  cancelDisconnect: 'xero_disconnect_cancel',
  connectXero: 'home_connect_xero',
  diagnoseSync: 'failed_sync_diagnose',
  restoreContact: 'failed_sync_restore_contact',
  sendCase: 'case_send',
  editCase: 'case_edit',
} as const;

/** One per offered candidate, in the order they are shown. */
export const closestArticleActionIds = [actionIds.showArticle, actionIds.showArticle2, actionIds.showArticle3] as const;

export type ActionId = (typeof actionIds)[keyof typeof actionIds];

export const knownActionIds: ReadonlySet<string> = new Set(Object.values(actionIds));

export const viewIds = {
  escalationModal: 'escalation_modal',
} as const;

/** Input blocks of the escalation modal; the same ids name the inline validation errors. */
export const escalationBlocks = {
  error: 'escalation_error',
  report: 'escalation_report',
  occurredAt: 'escalation_occurred_at',
  connection: 'escalation_connection',
  notes: 'escalation_notes',
} as const;

/** One action_id per input, always "value" so the state reads as state.values[block].value. */
export const inputActionId = 'value';
