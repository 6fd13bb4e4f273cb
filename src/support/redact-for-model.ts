// What must never leave for a language model, nor be kept in a thread's history: credentials
// (Slack, OpenAI and bearer tokens, JWTs, key=value secrets, long random strings), email addresses
// and long digit runs (account and card numbers). Dates, times, error codes and report ids such as
// R00123 or INV-0042 stay: they are what the model is asked to read.

const replacements: Array<[RegExp, string]> = [
  // Named secrets first, so the value goes whatever its shape: "client_secret=abc", "password: hunter2".
  [/\b((?:api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|pwd|access[_-]?token|refresh[_-]?token|id[_-]?token|token)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1[redacted]'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(?:xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+/g, '[redacted-token]'],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, '[redacted-key]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted-token]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // Card-like groups (4111 1111 1111 1111) and any run of 8 or more digits; dates have shorter groups.
  [/\b\d{3,6}(?:[ -]\d{3,6}){2,}\b/g, '[number]'],
  [/\d{8,}/g, '[number]'],
];

/** A random-looking string of 24 or more letters and digits (mixed): an opaque credential. */
const opaqueToken = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{24,}\b/g;

export function redactForModel(text: string): string {
  let out = text;
  for (const [pattern, replacement] of replacements) out = out.replace(pattern, replacement);
  return out.replace(opaqueToken, '[redacted-token]');
}
