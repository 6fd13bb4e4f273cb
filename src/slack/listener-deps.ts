// What every listener gets: the use-cases, a logger, and a clock (tests pin it).
import type { Logger } from '../logger.ts';
import type { FiledEscalation } from '../support/escalate.ts';
import type { SupportService } from '../support/support-service.ts';
import type { Capabilities } from './blocks/answer-blocks.ts';

export interface ListenerDeps {
  support: SupportService;
  /** Which buttons can work in this deployment (Xero configured, a support channel set). */
  capabilities: Capabilities;
  /** Posts a filed case to triage and confirms to the reporter (src/slack/post-escalation.ts). */
  postEscalation(filed: FiledEscalation): Promise<unknown>;
  logger: Logger;
  now: () => Date;
}
