// What the consent asks for: sign-in (openid profile email), a refresh token (offline_access),
// and the accounting scopes that checking a connection and re-sending failed exports need.
export const xeroScopes = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.contacts',
  'accounting.settings',
] as const;
