// Members of the admin user group, asked of Slack (usergroups.users.list) and kept for a minute:
// admin checks happen on every button press and Slack rate-limits this method.
import type { UsergroupDirectory } from '../support/admin-access.ts';
import type { SlackClients } from './slack-clients.ts';

export const usergroupCacheMs = 60_000;
/** Teams remembered at once; requests can name any team id, so the cache must not grow with them. */
const maxCachedTeams = 1_000;

export function createUsergroupDirectory(clients: SlackClients, now: () => number = Date.now): UsergroupDirectory {
  const cache = new Map<string, { members: readonly string[]; until: number }>();
  return {
    async members(teamId, usergroupId) {
      const key = `${teamId}:${usergroupId}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.members;
      const client = await clients.forTeam(teamId);
      if (!client) return [];
      const response = await client.usergroups.users.list({ usergroup: usergroupId });
      const members = response.users ?? [];
      cache.delete(key);
      if (cache.size >= maxCachedTeams) cache.delete(cache.keys().next().value!);
      cache.set(key, { members, until: now() + usergroupCacheMs });
      return members;
    },
  };
}
