// One Xero organisation held in memory: what the gateway's read and contact calls would answer,
// and every call made. For use-case tests; the adapter itself is tested against the fake Xero.
import { expect } from 'vitest';
import { XeroError, type XeroAccountInfo, type XeroContactState, type XeroDocumentRef, type XeroTaxRateInfo } from '../../src/support/xero-gateway.ts';

export const tenant = 'tenant-demo';

/** One organisation as Xero holds it, and every call made to it. */
export class OrganisationInXero {
  contacts: XeroContactState[] = [
    { contactId: 'c-acme', name: 'Acme Ltd', status: 'ARCHIVED' },
    { contactId: 'c-bolt', name: 'Bolt & Co', status: 'ACTIVE' },
  ];
  accounts: XeroAccountInfo[] = [
    { accountId: 'a1', code: '200', name: 'Sales', type: 'REVENUE', accountClass: 'REVENUE', status: 'ARCHIVED', taxType: 'OUTPUT2' },
    { accountId: 'a2', code: '210', name: 'Sales - Services', type: 'REVENUE', accountClass: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT2' },
    { accountId: 'a3', code: '260', name: 'Other Revenue', type: 'OTHERINCOME', accountClass: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT2' },
    { accountId: 'a4', code: '400', name: 'Advertising', type: 'EXPENSE', accountClass: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT2' },
    { accountId: 'a5', code: '090', name: 'Business Bank Account', type: 'BANK', accountClass: 'ASSET', status: 'ACTIVE', taxType: undefined },
    { accountId: 'a6', code: '201', name: 'Sales - Products', type: 'SALES', accountClass: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT2' },
  ];
  taxRates: XeroTaxRateInfo[] = [
    { taxType: 'OUTPUT2', name: '15% GST on Income', status: 'ACTIVE', canApplyTo: { assets: false, equity: false, expenses: false, liabilities: false, revenue: true } },
    { taxType: 'INPUT2', name: '15% GST on Expenses', status: 'ACTIVE', canApplyTo: { assets: true, equity: false, expenses: true, liabilities: false, revenue: false } },
    { taxType: 'NONE', name: 'No GST', status: 'ACTIVE', canApplyTo: { assets: true, equity: true, expenses: true, liabilities: true, revenue: true } },
    { taxType: 'OLDRATE', name: 'Old rate', status: 'DELETED', canApplyTo: { assets: true, equity: true, expenses: true, liabilities: true, revenue: true } },
  ];
  currencies = ['NZD', 'AUD'];
  periodLockDate: string | undefined = '2026-10-31';
  endOfYearLockDate: string | undefined = '2026-03-31';
  documents: XeroDocumentRef[] = [];
  calls: string[] = [];
  unavailable = false;

  private call(name: string) {
    this.calls.push(name);
    if (this.unavailable) throw new XeroError('xero_unavailable', 'Xero answered 503');
  }

  gateway = {
    findContact: async (_token: string, tenantId: string, query: { contactId?: string; name?: string }) => {
      this.call('findContact');
      expect(tenantId).toBe(tenant);
      return this.contacts.find((c) => (query.contactId ? c.contactId === query.contactId : c.name === query.name)) ?? null;
    },
    restoreContact: async (_token: string, _tenantId: string, contactId: string) => {
      this.call('restoreContact');
      const contact = this.contacts.find((c) => c.contactId === contactId)!;
      contact.status = 'ACTIVE';
      return { ...contact };
    },
    listAccounts: async () => (this.call('listAccounts'), this.accounts.map((a) => ({ ...a }))),
    listTaxRates: async () => (this.call('listTaxRates'), this.taxRates),
    listCurrencies: async () => (this.call('listCurrencies'), [...this.currencies]),
    getOrganisation: async () => {
      this.call('getOrganisation');
      return {
        organisation: {
          organisationId: 'org',
          name: 'Demo Co',
          legalName: undefined,
          status: 'ACTIVE',
          subscriptionClass: 'DEMO',
          countryCode: 'NZ',
          baseCurrency: 'NZD',
          isDemoCompany: true,
          periodLockDate: this.periodLockDate,
          endOfYearLockDate: this.endOfYearLockDate,
        },
        headroom: { minuteRemaining: 59, dayRemaining: 4999, appMinuteRemaining: 9999 },
      };
    },
    findDocument: async (_token: string, _tenantId: string, query: { number?: string }) => (this.call('findDocument'), this.documents.find((d) => d.number === query.number) ?? null),
  };
}

