// Whatever a person is told was received is stored before Slack is acknowledged: acknowledging
// first and storing after leaves a window where a crash loses an input the person saw accepted.
// Storing takes milliseconds; Slack waits 3 seconds for the acknowledgement.
import type { Logger } from '../logger.ts';
import { fail, type Result } from '../support/result.ts';

/** Runs a storing use-case, then acknowledges. A use-case that throws comes back as `not_recorded`. */
export async function storeBeforeAck<T, E extends string>(
  log: Logger,
  ack: () => Promise<void>,
  store: () => Promise<Result<T, E>>,
): Promise<Result<T, E | 'not_recorded'>> {
  let result: Result<T, E | 'not_recorded'>;
  try {
    result = await store();
  } catch (error) {
    log.error({ err: error }, 'could not store what a Slack request asked for');
    result = fail('not_recorded');
  }
  await ack();
  return result;
}
