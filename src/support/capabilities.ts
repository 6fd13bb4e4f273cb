/** What this deployment can do; a button that cannot work here is not shown (in Slack or the console). */
export interface Capabilities {
  /** Xero OAuth is configured: Reconnect and Check connection can work. */
  xero: boolean;
  /** A support channel is set: Escalate can post somewhere. */
  escalation: boolean;
}
