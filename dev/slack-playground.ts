// The local Slack playground's fixed settings: `npm run slack:fake` prints the bot's environment
// from these, and `npm run slack:send` assumes the same by default, so the two agree untold.
// None of these values is secret: they only ever meet the fake on 127.0.0.1.

export const playground = {
  fakePort: 3101,
  botUrl: 'http://127.0.0.1:3000',
  signingSecret: 'playground-signing-secret-0000',
  botToken: 'xoxb-playground-bot-token',
  teamId: 'T0TEAM0001',
  botUserId: 'U0BOT00001',
  userId: 'U0USER0001',
  adminUserId: 'U0ADMIN001',
  channelId: 'C0CHAN0001',
  supportChannelId: 'C0SUPPORT01',
} as const;

export function fakeSlackUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** What the bot needs to run in HTTP mode against the fake, with a triage channel and an admin. */
export function botEnvironment(apiUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: playground.botToken,
    SLACK_SIGNING_SECRET: playground.signingSecret,
    SLACK_API_URL: apiUrl,
    SUPPORT_CHANNEL_ID: playground.supportChannelId,
    CONCIERGE_ADMIN_USER_IDS: playground.adminUserId,
  };
}

/** A word as one shell argument: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
