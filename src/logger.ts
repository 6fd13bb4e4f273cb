// Structured JSON logs (pino). Secrets are removed twice: by field name, and by shape in the final
// line, so a Slack token inside an error message or a third-party log string is scrubbed too.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const redactedPaths = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'userToken',
  '*.userToken',
  'appToken',
  '*.appToken',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'idToken',
  '*.idToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'id_token',
  '*.id_token',
  'signingSecret',
  '*.signingSecret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'stateSecret',
  '*.stateSecret',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

// Slack bot/user/app tokens and refresh tokens have recognisable prefixes.
const tokenShape = /\b(xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+/g;
// Xero's access and id tokens are JWTs: three base64url parts, the first a JSON header ("eyJ").
const jwtShape = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

export function scrubSecrets(line: string): string {
  return line.replace(tokenShape, '$1-[redacted]').replace(jwtShape, '[redacted-jwt]');
}

export interface LoggerOptions {
  level: string;
  /** Where lines go; standard output by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'xero-concierge' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      hooks: { streamWrite: scrubSecrets },
    },
    // Synchronous standard output by default, so nothing is lost when the process exits.
    options.destination ?? pino.destination(1),
  );
}
