// `npm run slack:send -- <what> ...`: one signed request, as Slack would send it, to the running
// bot's /slack/events. Prints the HTTP status and the acknowledgement; whatever the bot does next
// (replies, modals, App Home) shows in the `npm run slack:fake` terminal.
import { parseArgs } from 'node:util';
import { encodeModalOrigin } from '../src/slack/blocks/escalation-blocks.ts';
import { actionIds, commandName, knownActionIds, shortcutIds, viewIds, type ActionId } from '../src/slack/ids.ts';
import { describeBlocks } from './describe-slack-call.ts';
import { escalationFormValues, SlackRequests } from './slack-requests.ts';
import { fakeSlackUrl, playground } from './slack-playground.ts';

// A Record over every ActionId: a new button without a line here fails the type check.
const actionHelp: Record<ActionId, string> = {
  [actionIds.reconnect]: 'Reconnect Xero (admins)',
  [actionIds.retryFailed]: 'Retry failed exports (admins)',
  [actionIds.showFailedSyncs]: 'Show failed exports',
  [actionIds.checkConnection]: 'Check connection',
  [actionIds.escalate]: 'Escalate: opens the form; value {"a":"XERO11","q":"<question>"} prefills it',
  [actionIds.showArticle]: 'the first of the closest articles; value {"a":"<article id>","q":"<question>"}',
  [actionIds.showArticle2]: 'the second of the closest articles; value as above',
  [actionIds.showArticle3]: 'the third of the closest articles; value as above',
  [actionIds.shareAnswer]: 'Share in channel (on an --ephemeral answer); value as above',
  [actionIds.feedbackHelpful]: 'Helpful; value {"a":"<article id or null>","q":"<question>"}',
  [actionIds.feedbackNotHelpful]: 'Not helpful; value as above',
  [actionIds.claimEscalation]: 'Claim (admins); value = the escalation id',
  [actionIds.resolveEscalation]: 'Resolve (admins); value = the escalation id',
  [actionIds.retrySync]: 'Retry one failed export (admins); value = its id',
  [actionIds.retryAllSyncs]: 'Retry all failed exports (admins)',
  [actionIds.archiveSync]: 'Archive one failed export (admins); value = its id',
  [actionIds.confirmDisconnect]: 'Disconnect (admins); value {"c":"<connection id>","n":"<name>","t":<epoch ms asked>}',
  [actionIds.cancelDisconnect]: 'Cancel a disconnect; value as above',
  [actionIds.connectXero]: 'Connect Xero from App Home (admins); the link arrives by DM',
  [actionIds.diagnoseSync]: 'Diagnose one failed export live in Xero; value = its id',
  [actionIds.restoreContact]: 'Restore the archived contact of a failed export in Xero (admins); value = its id',
  [actionIds.sendCase]: 'Send to support, under a collected case; value = the conversation id',
  [actionIds.editCase]: 'Edit a collected case in the escalation form; value = the conversation id',
};

const usage = `Usage: npm run slack:send -- <what> [arguments] [options]

Sends one signed request, as Slack would, to the bot's /slack/events and prints the HTTP status
and the acknowledgement. What the bot sends afterwards shows in the npm run slack:fake terminal,
where every button is printed as the slack:send command that presses it.

What:
  command "<text>"                    ${commandName} <text>, e.g. command "help", command "status"
  mention "<text>"                    an @mention of the bot in a channel; answered in its thread
  dm "<text>"                         a direct message to the bot
  reply "<text>" --thread-ts <ts>     a reply in a channel thread (answers the bot's follow-up question)
  shortcut report-xero-error "<message text>"
                                      the "Report a Xero error" message shortcut on that message
  action <action_id> [value]          a button press; the action ids:
${Object.entries(actionHelp)
  .map(([id, help]) => `                                        ${id.padEnd(26)}${help}`)
  .join('\n')}
  submit-escalation --error <text> --at <date-time> [--report <name or id>] [--notes <text>]
                    [--connection <id>] [--article <id>] [--thread-ts <ts>]
                                      submits the escalation form (slack:fake prints this command,
                                      filled in, when the form opens); leave --error or --at out to
                                      see the inline errors. --at: "now" or e.g. 2026-05-04T09:30
  home                                the user opens the app's Home tab

Options:
  --url <url>          the bot (default ${playground.botUrl}); waits up to 5 s for it to come up
  --secret <secret>    signing secret (default the one npm run slack:fake prints)
  --fake <url>         the fake Slack, for response_url (default ${fakeSlackUrl(playground.fakePort)})
  --user <id>          who acts (default ${playground.userId}; ${playground.adminUserId} is the playground's admin)
  --team <id>          workspace (default ${playground.teamId})
  --channel <id>       channel (default ${playground.channelId}; D + the user id for dm and home)
  --thread-ts <ts>     the thread (mention, dm, action, submit-escalation)
  --message-ts <ts>    the message pressed or shortcut (action, shortcut; default now)
  --ephemeral          the button is on a reply only the user sees (action)
  --home               the button is in App Home (action)
`;

const subcommandOptions: Record<string, string[]> = {
  command: [],
  mention: ['thread-ts'],
  dm: ['thread-ts'],
  reply: ['thread-ts'],
  shortcut: ['message-ts'],
  action: ['message-ts', 'thread-ts', 'ephemeral', 'home'],
  'submit-escalation': ['error', 'report', 'at', 'notes', 'connection', 'article', 'thread-ts'],
  home: [],
};

const text = { type: 'string' } as const;
const options = {
  url: text,
  secret: text,
  fake: text,
  user: text,
  team: text,
  channel: text,
  'thread-ts': text,
  'message-ts': text,
  ephemeral: { type: 'boolean' },
  home: { type: 'boolean' },
  error: text,
  report: text,
  at: text,
  notes: text,
  connection: text,
  article: text,
  help: { type: 'boolean', short: 'h' },
} as const;
const commonOptions = new Set(['url', 'secret', 'fake', 'user', 'team', 'channel', 'help']);

function usageError(problem: string): never {
  process.stderr.write(`slack:send: ${problem}\n\n${usage}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({ options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError((error as Error).message);
  }
}

const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const [what, ...rest] = positionals;
if (!what) usageError('say what to send');
const allowed = subcommandOptions[what];
if (!allowed) usageError(`unknown request "${what}"`);
for (const name of Object.keys(values)) {
  if (!commonOptions.has(name) && !allowed.includes(name)) usageError(`--${name} does not apply to ${what}`);
}

function slackId(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!/^[A-Z][A-Z0-9]{2,}$/.test(value)) usageError(`--${name} "${value}" is not a Slack id: use capitals and digits, e.g. ${fallback}`);
  return value;
}

function httpUrl(name: string, value: string | undefined, fallback: string): string {
  const url = value ?? fallback;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) usageError(`--${name} "${url}" is not an http URL, e.g. ${fallback}`);
  return url.replace(/\/+$/, '');
}

function slackTs(name: string, value: string | undefined): string {
  if (value === undefined) return (Date.now() / 1000).toFixed(6);
  if (!/^\d+\.\d+$/.test(value)) usageError(`--${name} "${value}" is not a message timestamp, e.g. 1700000000.000100`);
  return value;
}

function dateTime(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = value === 'now' ? new Date() : new Date(value);
  if (Number.isNaN(date.getTime())) usageError(`--at "${value}" is not a date-time: use "now" or e.g. 2026-05-04T09:30`);
  return date;
}

function words(min: number, max: number, shape: string): string[] {
  if (rest.length < min || rest.length > max) usageError(`${what} takes ${shape}${rest.length > max ? ' (quote text that has spaces)' : ''}`);
  return rest;
}

const botUrl = httpUrl('url', values.url, playground.botUrl);
const fakeUrl = httpUrl('fake', values.fake, fakeSlackUrl(playground.fakePort));
const userId = slackId('user', values.user, playground.userId);
const teamId = slackId('team', values.team, playground.teamId);
const dmChannel = `D${userId.slice(1)}`;
const channelId = slackId('channel', values.channel, what === 'dm' || what === 'home' ? dmChannel : playground.channelId);
const threadTs = values['thread-ts'] === undefined ? undefined : slackTs('thread-ts', values['thread-ts']);
const slack = new SlackRequests(botUrl, values.secret ?? playground.signingSecret, (id) => `${fakeUrl}/response/${id}`, { teamId, userId, channelId });

async function send(): Promise<{ response: Response; sent: string }> {
  switch (what) {
    case 'command': {
      const commandText = words(0, Infinity, 'the command text, e.g. command "status"').join(' ');
      const { response } = await slack.command(commandText);
      return { response, sent: `${commandName} ${commandText}`.trim() };
    }
    case 'mention':
    case 'dm': {
      const said = words(1, Infinity, 'the message text, e.g. mention "XERO11 on my report"').join(' ');
      const ts = slackTs('message-ts', undefined);
      const event =
        what === 'mention'
          ? { type: 'app_mention', user: userId, text: `<@${playground.botUserId}> ${said}`, ts, channel: channelId }
          : { type: 'message', channel_type: 'im', user: userId, text: said, ts, channel: channelId };
      const response = await slack.event({ ...event, ...(threadTs ? { thread_ts: threadTs } : {}) });
      return { response, sent: `${what === 'mention' ? 'app_mention' : 'message.im'} in ${channelId}, ts=${ts}${threadTs ? `, thread_ts=${threadTs}` : ''}` };
    }
    case 'reply': {
      const said = words(1, Infinity, 'the reply text, e.g. reply "report R00123, today 9:40" --thread-ts <ts>').join(' ');
      if (!threadTs) usageError('reply needs --thread-ts: the ts of the thread the bot asked in');
      const ts = slackTs('message-ts', undefined);
      const response = await slack.event({ type: 'message', channel_type: channelId.startsWith('D') ? 'im' : 'channel', user: userId, text: said, ts, channel: channelId, thread_ts: threadTs });
      return { response, sent: `message in ${channelId}, ts=${ts}, thread_ts=${threadTs}` };
    }
    case 'shortcut': {
      const [name, ...messageWords] = words(2, Infinity, 'the shortcut and the message text, e.g. shortcut report-xero-error "XERO11 on invoice INV-7"');
      const messageText = messageWords.join(' ');
      if (name!.replace(/-/g, '_') !== shortcutIds.reportXeroError) usageError(`unknown shortcut "${name}": the app has report-xero-error`);
      const ts = slackTs('message-ts', values['message-ts']);
      const { response } = await slack.messageShortcut(shortcutIds.reportXeroError, { ts, text: messageText });
      return { response, sent: `message shortcut ${shortcutIds.reportXeroError} on message ts=${ts} in ${channelId}` };
    }
    case 'action': {
      const [actionId, value] = words(1, 2, 'an action id and maybe a value, e.g. action escalation_claim <escalation id>');
      if (!knownActionIds.has(actionId!)) process.stderr.write(`note: "${actionId}" is not an action id the app knows; sending it anyway.\n`);
      const message = { ts: slackTs('message-ts', values['message-ts']), ...(threadTs ? { thread_ts: threadTs } : {}) };
      const { response } = await slack.button(actionId!, value ?? '', { message, ephemeral: Boolean(values.ephemeral), inHome: Boolean(values.home) });
      const where = values.home ? 'in App Home' : `on ${values.ephemeral ? 'an ephemeral' : `message ts=${message.ts}`} in ${channelId}`;
      return { response, sent: `button ${actionId} ${where}` };
    }
    case 'submit-escalation': {
      words(0, 0, 'only options: --error, --report, --at, --notes');
      const fields = { error: values.error, report: values.report, when: dateTime(values.at), connection: values.connection, notes: values.notes };
      const origin = encodeModalOrigin({ channelId, threadTs: threadTs ?? null, articleId: values.article ?? null });
      const response = await slack.viewSubmission(viewIds.escalationModal, escalationFormValues(fields), origin);
      return { response, sent: `view_submission of ${viewIds.escalationModal}` };
    }
    case 'home': {
      words(0, 0, 'no arguments');
      const response = await slack.event({ type: 'app_home_opened', user: userId, channel: channelId, tab: 'home', ts: slackTs('ts', undefined) });
      return { response, sent: `app_home_opened for ${userId}` };
    }
    default:
      usageError(`unknown request "${what}"`);
  }
}

/** The acknowledgement as a person reads it: blocks rendered (buttons as commands), inline form errors listed. */
function describeAck(body: string): string {
  if (!body) return 'Acknowledged with an empty body. What the bot sends next appears in the npm run slack:fake terminal.';
  let parsed: { text?: string; blocks?: unknown[]; response_action?: string; errors?: Record<string, string> };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return body;
  }
  if (parsed.response_action === 'errors' && parsed.errors) {
    return ['The form stays open with these errors:', ...Object.entries(parsed.errors).map(([block, message]) => `  ${block}: ${message}`)].join('\n');
  }
  if (Array.isArray(parsed.blocks)) {
    // An acknowledgement's message is ephemeral, in the channel the request came from.
    const sendFlags = (['url', 'fake', 'secret'] as const).flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, values[name]]));
    return describeBlocks(parsed.blocks, { flags: ['--ephemeral', '--channel', channelId] }, sendFlags).join('\n');
  }
  return parsed.text ?? JSON.stringify(parsed, null, 2);
}

/** A bot started a moment ago (`npm start &`) may not listen yet: a refused connection is retried briefly. */
async function sendOnceUp(waitMs: number): Promise<{ response: Response; sent: string }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      if (code !== 'ECONNREFUSED' || Date.now() > deadline) {
        process.stderr.write(`Could not reach the bot at ${slack.url} (${code}). Is it running (npm start with the environment npm run slack:fake prints), and is --url right?\n`);
        process.exit(1);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const { response, sent } = await sendOnceUp(5_000);
const body = await response.text();
process.stdout.write(`Sent ${sent} as ${userId} to ${slack.url}\nHTTP ${response.status} ${response.statusText}\n`);
if (response.status === 401) {
  process.stdout.write('The bot refused the signature: --secret must match its SLACK_SIGNING_SECRET.\n');
} else {
  process.stdout.write(`${describeAck(body)}\n`);
}
process.exit(response.ok ? 0 : 1);
