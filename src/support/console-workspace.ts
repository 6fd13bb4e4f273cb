// The local console's own workspace. Its id is not a Slack team id (those start with T or E), so
// console data can never be mistaken for a real workspace's; the re-post job skips it by this id.
import type { Actor } from './admin-access.ts';

export const consoleActor: Actor = { teamId: 'local', userId: 'console' };
