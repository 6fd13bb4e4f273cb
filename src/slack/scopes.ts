// The bot scopes the app needs, as requested at OAuth install. manifest.yml lists the same ones;
// test/slack/manifest.test.ts keeps them equal. The *:history scopes let the app find a message it
// posted before a crash (by its metadata) instead of posting it twice: the triage channel and the
// reporter's thread may be public or private channels or group DMs, the confirmation also a DM.
// The same *:history scopes deliver the replies of a case being collected in a channel thread;
// users:read gives the reporter's time zone, in which "yesterday at 3pm" is read.
export const botScopes = [
  'app_mentions:read',
  'assistant:write',
  'channels:history',
  'channels:join',
  'chat:write',
  'commands',
  'groups:history',
  'im:history',
  'im:write',
  'mpim:history',
  'usergroups:read',
  'users:read',
] as const;
