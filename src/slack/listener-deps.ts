// What every listener gets: the use-cases, a logger, and a clock (tests pin it).
import type { Logger } from '../logger.ts';
import type { SupportService } from '../support/support-service.ts';

export interface ListenerDeps {
  support: SupportService;
  logger: Logger;
  now: () => Date;
}
