// Live diagnosis and Restore contact call Xero outside the retry queue, yet count against the
// same per-organisation limits: each call takes a permit from the shared gate first (the retry
// engine's, on the database), and a 429 pauses the organisation for everyone.
import { rateLimitedCall, type XeroCallGate } from './xero-rate-limits.ts';
import type { XeroGateway } from './xero-gateway.ts';

export type DiagnosisXeroCalls = Pick<XeroGateway, 'findContact' | 'restoreContact' | 'listAccounts' | 'listTaxRates' | 'listCurrencies' | 'getOrganisation' | 'findDocument'>;

/** A person is waiting on the answer: wait this long for a permit, then say Xero is busy. */
export const diagnosisPermitWaitMs = 3_000;

export function withCallPermits(xero: DiagnosisXeroCalls, gate: XeroCallGate, holder: string, maxWaitMs = diagnosisPermitWaitMs): DiagnosisXeroCalls {
  const limited =
    <A extends [string, string, ...unknown[]], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      rateLimitedCall(gate, args[1], { holder, maxWaitMs }, () => call(...args));
  return {
    findContact: limited((token, tenant, query: { contactId?: string; name?: string }) => xero.findContact(token, tenant, query)),
    restoreContact: limited((token, tenant, contactId: string) => xero.restoreContact(token, tenant, contactId)),
    listAccounts: limited((token, tenant) => xero.listAccounts(token, tenant)),
    listTaxRates: limited((token, tenant) => xero.listTaxRates(token, tenant)),
    listCurrencies: limited((token, tenant) => xero.listCurrencies(token, tenant)),
    getOrganisation: limited((token, tenant) => xero.getOrganisation(token, tenant)),
    findDocument: limited((token, tenant, query: Parameters<XeroGateway['findDocument']>[2]) => xero.findDocument(token, tenant, query)),
  };
}
