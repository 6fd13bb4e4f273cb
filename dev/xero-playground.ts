// The local Xero playground's fixed settings, shared by `npm run xero:fake` and its test. None
// of these values is secret: they only ever meet the fake on 127.0.0.1.
import type { FakeXeroCall } from './fake-xero-api.ts';

export const xeroPlayground = {
  fakePort: 3102,
  clientId: 'PLAYGROUNDXEROCLIENT000000000001',
  clientSecret: 'playground-xero-client-secret-0000000000000000',
  redirectUri: 'http://localhost:3000/xero/callback',
  organisations: [
    { tenantId: '5f1c3a9e-0d2b-4c8e-9a71-3e6b2d4f8a10', name: 'Demo Co', countryCode: 'NZ', baseCurrency: 'NZD', subscriptionClass: 'DEMO' },
    { tenantId: '8b7d2e41-6c3f-4a95-b0e8-1f2a9c5d7e63', name: 'Kiwi Travel Ltd', countryCode: 'NZ', baseCurrency: 'NZD', subscriptionClass: 'STANDARD' },
  ],
} as const;

/** One call as a line: what was asked, what the fake answered and, for refusals, why. */
export function describeXeroCall(call: FakeXeroCall): string {
  const parts = [`${call.method} ${call.path}`.padEnd(40), String(call.status)];
  if (call.grantType) parts.push(`grant_type=${call.grantType}`);
  if (call.tenantId) parts.push(`tenant=${call.tenantId}`);
  if (call.authEventId) parts.push(`authEventId=${call.authEventId}`);
  if (call.idempotencyKey) parts.push(`key=${call.idempotencyKey}${call.replayed ? ' (replayed: nothing new created)' : ''}`);
  if (call.note) parts.push(`(${call.note})`);
  if (call.lost) parts.push('[response dropped on purpose]');
  if (call.route === 'unexpected') parts.push('<- NOT FAKED');
  return parts.join('  ');
}
