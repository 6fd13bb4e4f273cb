// `npm run xero:fake`: the fake Xero on a fixed local port with two demo organisations, for
// trying the bot's Xero side without Xero. Prints the environment the bot needs and how to
// break things, then one line per call the bot makes (never a token).
import { readPortArg, stopOnSignals } from './fake-cli.ts';
import { FakeXero } from './fake-xero-api.ts';
import { describeXeroCall, xeroPlayground } from './xero-playground.ts';

const usage = `Usage: npm run xero:fake [-- --port <port>]

Starts a fake Xero (identity service and API) on 127.0.0.1 (port ${xeroPlayground.fakePort} unless --port says
otherwise; 0 picks a free one) with two demo organisations, prints the environment to start the
bot with and the controls that break things, then one line per call. Ctrl-C stops it.`;

const print = (text: string) => process.stdout.write(`${text}\n`);
const port = readPortArg('xero:fake', usage, xeroPlayground.fakePort);
let fake: FakeXero;
try {
  fake = await FakeXero.start({
    port,
    clientId: xeroPlayground.clientId,
    clientSecret: xeroPlayground.clientSecret,
    organisations: xeroPlayground.organisations.map((o) => ({ ...o })),
    onCall: (call) => {
      if (call.route !== 'control') print(describeXeroCall(call));
    },
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  process.stderr.write(`Port ${port} is already in use (another npm run xero:fake?). Stop that one, or pass --port <free port>.\n`);
  process.exit(1);
}

const base = fake.identityUrl;
const [demo] = xeroPlayground.organisations;
const control = (name: string, body: string) => `curl -s -X POST ${base}/_fake/${name} -d '${body}'`;
print(`Fake Xero on ${base} (identity service and API), organisations: ${xeroPlayground.organisations.map((o) => `${o.name} (${o.tenantId})`).join(', ')}

Environment for the bot:
  XERO_CLIENT_ID=${xeroPlayground.clientId}
  XERO_CLIENT_SECRET=${xeroPlayground.clientSecret}
  XERO_REDIRECT_URI=${xeroPlayground.redirectUri}
  XERO_IDENTITY_URL=${base}
  XERO_API_URL=${base}

The consent page agrees at once and covers both organisations. To break things (the connection
and authEventId values are in ${base}/_fake/state):
  ${control('organisation', `{"tenantId":"${demo.tenantId}","status":"INACTIVE"}`)}
  ${control('revoke-connection', '{"connectionId":"<id>"}')}
  ${control('revoke-tokens', '{"authEventId":"<id>"}')}
  ${control('age-out', '{"authEventId":"<id>"}')}
  ${control('outage', '{"ms":60000}')}
  ${control('stall', '{"count":1,"ms":15000}')}
  ${control('lose-response', '{"route":"token"}')}
  ${control('consent', '{"decline":true}')}
  ${control('advance-time', '{"ms":1800000}')}

Every call is shown below. Ctrl-C stops.
`);

stopOnSignals(fake, 'fake Xero');
