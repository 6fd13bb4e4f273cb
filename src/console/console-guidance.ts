// What `npm start` prints when no Slack credentials are set: which variables are missing, how to
// create the Slack app from manifest.yml, and how to use the console meanwhile.
import { commandName } from '../copy/concierge-grammar.ts';

export const consoleGuidance = `Xero Concierge: no Slack credentials are set, so it is running as a local console.

Missing (set one of these combinations to connect to Slack):
  Socket Mode (no public URL needed):  SLACK_BOT_TOKEN and SLACK_APP_TOKEN
  HTTP (Slack calls PORT/slack/events): SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET
  Many workspaces (OAuth install):      SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET
                                        and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN

To create the Slack app:
  1. Open https://api.slack.com/apps, choose "Create New App", then "From a manifest",
     pick your workspace and paste the contents of manifest.yml.
  2. Install it to the workspace ("Install App"), then copy the Bot User OAuth Token
     (xoxb-...) into SLACK_BOT_TOKEN.
  3. Socket Mode: under "Basic Information", "App-Level Tokens", create a token with the
     connections:write scope and put it (xapp-...) in SLACK_APP_TOKEN.
     HTTP instead: copy the Signing Secret into SLACK_SIGNING_SECRET, turn Socket Mode off
     and set the request URLs to https://YOUR-HOST/slack/events.
  4. Optional: SUPPORT_CHANNEL_ID (where escalations go; invite the app there),
     CONCIERGE_ADMIN_USER_IDS or CONCIERGE_ADMIN_USERGROUP_ID (who may retry, archive,
     claim and resolve).

The console answers with the same engine as the Slack app. You act as an admin of a local
workspace called "local"; it is a sandbox with its own database (console.db in the data folder),
and nothing filed here is ever posted to Slack. Type a question or an error message (e.g. "XERO11 on my report"),
or ${commandName} help for the commands. Buttons print as [Name]; press one by typing its number
or its name on the next line (a list follows each reply). Ctrl-D or "exit" quits.
`;
