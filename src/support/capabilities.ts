import type { ArticleAction } from '../knowledge/article.ts';

/** What this deployment can do; a button that cannot work here is not shown (in Slack or the console). */
export interface Capabilities {
  /** Xero OAuth is configured: Reconnect, Check connection, Diagnose and Retry can work. */
  xero: boolean;
  /** A support channel is set: Escalate can post somewhere. */
  escalation: boolean;
}

/** Which article actions need which capability (the same rule in Slack and the console). */
export const actionNeeds: Partial<Record<ArticleAction, keyof Capabilities>> = {
  reconnect: 'xero',
  check_health: 'xero',
  // Without Xero nothing would ever re-send a queued export.
  retry: 'xero',
  escalate: 'escalation',
};
