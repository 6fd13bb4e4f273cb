import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anotherProductHints, anyOf, outOfScopeHints } from '../../src/knowledge/scope.ts';

/** Texts that hit each hint regex, texts that hit none, and the knowledge tests' questions. */
const texts = [
  'How do I void an invoice?',
  'Is your feature request related to a problem? Please describe.',
  "Invalid value for 'class', must be one of 'DEMO', 'TRIAL'",
  '{"error":"access_denied"}',
  'unable to add more than 2 tracking categories',
  'the bank feed stopped',
  'I forgot my password',
  'locked out after changing 2FA',
  'xero charged us twice for the subscription',
  'QuickBooks says token expired',
  'login with LinkedIn fails',
  'GitHub returns 401',
  'realmId is missing',
  "Stripe's API returns 429",
  '[{"$severity": "error"}]',
  'Error Code: 25003',
  'redirected to https://accounts.example.com/oauth2/token',
  'XERO11 on my report',
  'invoices are not syncing',
  '',
  ...readFileSync(new URL('./questions.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { q: string }).q),
];

/** Each regex run on its own, as the checks after the union run them (a global one from the start of the text). */
function anyOneByOne(regexes: readonly RegExp[], text: string): boolean {
  return regexes.some((re) => new RegExp(re.source, re.flags.replace('g', '')).test(text));
}

describe('anyOf', () => {
  it('finds in every text what running the out-of-scope and other-product hint regexes one by one finds', () => {
    for (const hints of [outOfScopeHints, anotherProductHints]) {
      const union = anyOf(hints);
      for (const text of texts) {
        for (const variant of [text, text.toUpperCase(), text.toLowerCase()]) {
          expect(union.test(variant), JSON.stringify(variant)).toBe(anyOneByOne(hints, variant));
        }
      }
    }
    // Every hint regex is hit by some text above, so none is checked only against misses.
    for (const re of [...outOfScopeHints, ...anotherProductHints]) {
      expect(texts.some((text) => anyOneByOne([re], text)), String(re)).toBe(true);
    }
  });

  it('refuses a regex whose meaning the union would change', () => {
    expect(() => anyOf([/abc/])).toThrow();
    for (const re of [/^a$/im, /a.b/is, /\p{L}/iu, /a/iy, /(a)\1/i, /(?<x>a)\k<x>/i]) {
      expect(() => anyOf([/ok/i, re]), String(re)).toThrow();
    }
    expect(anyOf([/abc/i, /d+/gi]).test('xDDx')).toBe(true);
  });
});
