// The reporter's time zone from their Slack profile (users.info), in which "yesterday at 3pm"
// is read. Slack failures fall back to UTC, which the summary then shows, rather than stop the case.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import { describeSlackError } from './web-api-errors.ts';

export async function userTimeZone(client: WebClient, userId: string, log: Logger): Promise<string> {
  try {
    const info = await client.users.info({ user: userId });
    const tz = info.user?.tz;
    if (tz) {
      new Intl.DateTimeFormat('en', { timeZone: tz }); // an unknown zone throws here, not later
      return tz;
    }
  } catch (error) {
    const { code, detail } = describeSlackError(error);
    log.warn({ code: code ?? 'time_zone_unknown', slackError: detail }, 'could not read the reporter\'s time zone; reading times in UTC');
  }
  return 'UTC';
}
