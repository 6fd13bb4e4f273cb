// `npm run openai:fake`: the fake OpenAI API on a fixed local port, answering as a well-behaved
// model (dev/fake-openai-api.ts, playgroundModel), for trying the OpenAI layer without OpenAI.
// Prints the environment the bot needs, then one line per request: which call, never its content.
import { readPortArg, stopOnSignals } from './fake-cli.ts';
import { FakeOpenAI, playgroundModel } from './fake-openai-api.ts';

const defaultPort = 3104;
const usage = `Usage: npm run openai:fake [-- --port <port>]

Starts a fake OpenAI-compatible API on 127.0.0.1 (port ${defaultPort} unless --port says otherwise; 0 picks a
free one) that answers like a well-behaved model: it picks the answer engine's first candidate and
restates the article's first steps. Prints the environment to start the bot with, then one line per
request. Ctrl-C stops it.`;

const print = (text: string) => process.stdout.write(`${text}\n`);
const port = readPortArg('openai:fake', usage, defaultPort);
let fake: FakeOpenAI;
try {
  fake = await FakeOpenAI.start({
    port,
    script: (request) => {
      print(`${new Date().toISOString()} ${request.model} ${request.schemaName} (${request.messages.length} messages)`);
      return playgroundModel(request);
    },
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  process.stderr.write(`Port ${port} is already in use (another npm run openai:fake?). Stop that one, or pass --port <free port>.\n`);
  process.exit(1);
}

print(`Fake OpenAI API on ${fake.baseUrl}

Environment for the bot:
  OPENAI_API_KEY=sk-playground-000000000000000000000
  OPENAI_BASE_URL=${fake.baseUrl}

Every request is shown below. Ctrl-C stops.
`);

stopOnSignals(fake, 'fake OpenAI');
