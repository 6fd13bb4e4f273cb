// `npm run slack:fake`: the fake Slack Web API on a fixed local port, for trying the bot over HTTP
// without Slack. Prints how to start the bot against it, then every call the bot makes.
import { readPortArg, stopOnSignals } from './fake-cli.ts';
import { describeApiCall, describeResponsePost } from './describe-slack-call.ts';
import { FakeSlack } from './fake-slack-api.ts';
import { botEnvironment, fakeSlackUrl, playground, shellQuote } from './slack-playground.ts';

const usage = `Usage: npm run slack:fake [-- --port <port>]

Starts a fake Slack Web API on 127.0.0.1 (port ${playground.fakePort} unless --port says otherwise; 0 picks a free
one), prints the environment to start the bot with, then prints every Web API call and
response_url post the bot makes. Drive the bot with npm run slack:send. Ctrl-C stops it.`;

const port = readPortArg('slack:fake', usage, playground.fakePort);
// Set once listening: printed commands must name a fake that is not on the default port.
let sendFlags: string[] = [];
const print = (text: string) => process.stdout.write(`${text}\n`);
let fake: FakeSlack;
try {
  fake = await FakeSlack.start({
    port,
    record: false,
    teamId: playground.teamId,
    botUserId: playground.botUserId,
    onCall: (call, answer) => print(describeApiCall(call, answer, { sendFlags })),
    onResponse: (response) => print(describeResponsePost(response, { sendFlags })),
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  process.stderr.write(`Port ${port} is already in use (another npm run slack:fake?). Stop that one, or pass --port <free port>.\n`);
  process.exit(1);
}

const url = fakeSlackUrl(fake.port);
if (fake.port !== playground.fakePort) sendFlags = ['--fake', url];
const botCommand = [...Object.entries(botEnvironment(fake.apiUrl)).map(([key, value]) => `${key}=${shellQuote(value)}`), 'npm', 'start'].join(' ');
const sendPrefix = ['npm run slack:send --', ...sendFlags].join(' ');
print(`Fake Slack Web API on ${url}
SLACK_API_URL=${fake.apiUrl}

Start the bot against it (in another terminal, from the project folder):
  ${botCommand}

Then send it what Slack would (see npm run slack:send -- --help), e.g.:
  ${sendPrefix} mention "XERO11 on my report"
  ${sendPrefix} command "help"

Every Web API call the bot makes is shown below. Ctrl-C stops.
`);

stopOnSignals(fake, 'fake Slack');
