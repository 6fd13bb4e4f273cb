// The bot scopes the app needs, as requested at OAuth install. manifest.yml lists the same ones;
// test/slack/manifest.test.ts keeps them equal.
export const botScopes = [
  'app_mentions:read',
  'assistant:write',
  'channels:join',
  'chat:write',
  'commands',
  'im:history',
  'im:write',
  'usergroups:read',
] as const;
