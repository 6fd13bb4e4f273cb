// Structured JSON logs (pino). Secrets are removed three times: by field name, then in the final
// line by shape (Slack tokens) and by value (every configured secret, also URL- or JSON-encoded),
// so a secret inside an error message or a third-party debug line is scrubbed too.
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

/** Shorter values would blank out ordinary words; no configured secret is this short in practice. */
export const minScrubbedLength = 4;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The ways a value travels: as is, in a URL or form body, inside a JSON string (once or twice).
function encodings(secret: string): string[] {
  const urlForms = [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  const forms = [secret, ...urlForms, ...urlForms.map((f) => f.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()))];
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  return [...forms, ...forms.map(json), ...forms.map((f) => json(json(f)))];
}

/** A function that replaces every encoding of every secret in a line with [redacted]. */
export function secretValueScrubber(secrets: readonly string[]): (line: string) => string {
  const patterns = [...new Set(secrets.filter((s) => s.length >= minScrubbedLength).flatMap(encodings))].sort((a, b) => b.length - a.length);
  if (!patterns.length) return (line) => line;
  const anySecret = new RegExp(patterns.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(anySecret, '[redacted]');
}

export interface LoggerOptions {
  level: string;
  /** Configured secret values (Config.secrets), scrubbed from every line whatever field holds them. */
  secrets?: readonly string[];
  /** Where lines go; standard output by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrubValues = secretValueScrubber(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { service: 'xero-concierge' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      hooks: { streamWrite: (line) => scrubSecrets(scrubValues(line)) },
    },
    // Synchronous standard output by default, so nothing is lost when the process exits.
    options.destination ?? pino.destination(1),
  );
}
