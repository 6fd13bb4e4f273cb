import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildHomeView } from '../../blocks/home-blocks.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { describeSlackError } from '../../web-api-errors.ts';

/** Renders and publishes one person's App Home. Also used after buttons pressed there. */
export async function publishHome(deps: ListenerDeps, client: WebClient, teamId: string, userId: string): Promise<void> {
  const overview = await deps.support.homeOverview(teamId, userId);
  const isAdmin = await deps.support.isAdmin({ teamId, userId }).catch(() => false);
  try {
    await client.views.publish({ user_id: userId, view: buildHomeView(overview, { isAdmin, xeroConfigured: deps.capabilities.xero, now: deps.now() }) });
  } catch (error) {
    const { code, detail } = describeSlackError(error);
    deps.logger.warn({ code, slackError: detail }, 'could not publish App Home');
  }
}

export function registerAppHomeOpened(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, client, context, body }) => {
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? body.team_id;
    await publishHome(deps, client, teamId, event.user);
  });
}
