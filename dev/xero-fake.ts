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
const books = fake.booksOf(demo.tenantId);
const codes = (kind: string) => [...books.accounts.values()].filter((a) => a.Class === kind).map((a) => a.Code).join(' ');
print(`Fake Xero on ${base} (identity service and API), organisations: ${xeroPlayground.organisations.map((o) => `${o.name} (${o.tenantId})`).join(', ')}

Environment for the bot:
  XERO_CLIENT_ID=${xeroPlayground.clientId}
  XERO_CLIENT_SECRET=${xeroPlayground.clientSecret}
  XERO_REDIRECT_URI=${xeroPlayground.redirectUri}
  XERO_IDENTITY_URL=${base}
  XERO_API_URL=${base}

The consent page agrees at once and covers both organisations. Each has contacts
(${[...books.contacts.values()].map((c) => c.Name).join(', ')}), accounts (revenue ${codes('REVENUE')}; expense ${codes('EXPENSE')};
bank 090), tax rates (${[...books.taxRates.keys()].join(', ')}) and currencies (${books.currencies.join(', ')}).
Limits: ${fake.limits.limits.minute} calls a minute, ${fake.limits.limits.concurrent} at once, ${fake.limits.limits.day} a day per organisation; ${fake.limits.limits.appMinute} a minute per app; ${fake.describeScale()}.

Change an organisation's data (then watch the bot's diagnosis follow):
  ${control('contact', `{"tenantId":"${demo.tenantId}","name":"Bayside Club","status":"ARCHIVED"}`)}
  ${control('account', `{"tenantId":"${demo.tenantId}","code":"200","status":"ARCHIVED"}`)}
  ${control('tax-rate', `{"tenantId":"${demo.tenantId}","taxType":"ZERORATED","status":"ARCHIVED"}`)}
  ${control('lock-dates', `{"tenantId":"${demo.tenantId}","periodLockDate":"2026-06-30","endOfYearLockDate":null}`)}
  ${control('currencies', `{"tenantId":"${demo.tenantId}","codes":["AUD","USD","GBP"]}`)}

Documents created and counters (calls, most at once, most in a minute, 429s, duplicates):
  curl -s ${base}/_fake/documents?tenantId=${demo.tenantId}
  curl -s ${base}/_fake/counters

To break things (the connection and authEventId values are in ${base}/_fake/state):
  ${control('organisation', `{"tenantId":"${demo.tenantId}","status":"INACTIVE"}`)}
  ${control('revoke-connection', '{"connectionId":"<id>"}')}
  ${control('revoke-tokens', '{"authEventId":"<id>"}')}
  ${control('age-out', '{"authEventId":"<id>"}')}
  ${control('outage', '{"ms":60000}')}
  ${control('stall', '{"count":1,"ms":15000}')}
  ${control('lose-response', '{"route":"invoices"}')}      (creates, then drops the answer; "lateMs":15000 answers late instead)
  ${control('fail', '{"count":3,"status":503}')}
  ${control('latency', '{"ms":300,"jitterMs":200}')}
  ${control('limits', '{"timeScale":0.01}')}            (a Xero minute then lasts 600 ms)
  ${control('consent', '{"decline":true}')}
  ${control('advance-time', '{"ms":1800000}')}

Every call is shown below. Ctrl-C stops.
`);

stopOnSignals(fake, 'fake Xero');
