// One organisation's books in the fake Xero: contacts, chart of accounts, tax rates, currencies,
// tracking categories, lock dates and the documents created through the API. Seeded like a fresh
// New Zealand demo company, so tests start from data Xero would plausibly hold.
import { randomUUID } from 'node:crypto';

export type FakeDocumentKind = 'invoice' | 'credit_note' | 'payment' | 'bank_transaction';

export interface FakeContact {
  ContactID: string;
  Name: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';
  ContactNumber?: string;
  EmailAddress?: string;
  UpdatedDateUTC: number;
}

export interface FakeAccount {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  Class: 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';
  Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
  TaxType: string;
  EnablePaymentsToAccount: boolean;
}

export interface FakeTaxRate {
  TaxType: string;
  Name: string;
  Status: 'ACTIVE' | 'DELETED' | 'ARCHIVED';
  /** OUTPUT rates belong on sales, INPUT on purchases, NONE on either. */
  ReportTaxType: 'OUTPUT' | 'INPUT' | 'NONE';
  EffectiveRate: number;
  CanApplyToAssets: boolean;
  CanApplyToEquity: boolean;
  CanApplyToExpenses: boolean;
  CanApplyToLiabilities: boolean;
  CanApplyToRevenue: boolean;
}

/** A created document: its identifying fields, plus the Xero JSON the API answers with. */
export interface FakeDocument {
  kind: FakeDocumentKind;
  id: string;
  /** InvoiceNumber or CreditNoteNumber. */
  number: string | undefined;
  reference: string | undefined;
  status: string;
  /** Invoice and credit note Type, bank transaction Type. */
  type: string | undefined;
  body: Record<string, unknown>;
  /** Fake-clock time it was created. */
  createdAt: number;
}

export interface FakeTrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Options: Array<{ TrackingOptionID: string; Name: string; Status: 'ACTIVE' | 'ARCHIVED' }>;
}

const seedAccounts: Array<Omit<FakeAccount, 'AccountID' | 'Status' | 'EnablePaymentsToAccount'> & { EnablePaymentsToAccount?: boolean }> = [
  { Code: '090', Name: 'Business Bank Account', Type: 'BANK', Class: 'ASSET', TaxType: 'NONE' },
  { Code: '200', Name: 'Sales', Type: 'REVENUE', Class: 'REVENUE', TaxType: 'OUTPUT2' },
  { Code: '260', Name: 'Other Revenue', Type: 'REVENUE', Class: 'REVENUE', TaxType: 'OUTPUT2' },
  { Code: '310', Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS', Class: 'EXPENSE', TaxType: 'INPUT2' },
  { Code: '400', Name: 'Advertising', Type: 'EXPENSE', Class: 'EXPENSE', TaxType: 'INPUT2' },
  { Code: '429', Name: 'General Expenses', Type: 'EXPENSE', Class: 'EXPENSE', TaxType: 'INPUT2' },
  { Code: '720', Name: 'Computer Equipment', Type: 'FIXED', Class: 'ASSET', TaxType: 'INPUT2' },
  { Code: '800', Name: 'Accounts Payable', Type: 'CURRLIAB', Class: 'LIABILITY', TaxType: 'NONE' },
  { Code: '880', Name: 'Owner Drawings', Type: 'EQUITY', Class: 'EQUITY', TaxType: 'NONE', EnablePaymentsToAccount: true },
];

const applies = (assets: boolean, equity: boolean, expenses: boolean, liabilities: boolean, revenue: boolean) => ({
  CanApplyToAssets: assets,
  CanApplyToEquity: equity,
  CanApplyToExpenses: expenses,
  CanApplyToLiabilities: liabilities,
  CanApplyToRevenue: revenue,
});

const seedTaxRates: FakeTaxRate[] = [
  { TaxType: 'OUTPUT2', Name: 'GST on Income', Status: 'ACTIVE', ReportTaxType: 'OUTPUT', EffectiveRate: 15, ...applies(true, true, false, true, true) },
  { TaxType: 'INPUT2', Name: 'GST on Expenses', Status: 'ACTIVE', ReportTaxType: 'INPUT', EffectiveRate: 15, ...applies(true, true, true, true, false) },
  { TaxType: 'ZERORATED', Name: 'Zero Rated', Status: 'ACTIVE', ReportTaxType: 'OUTPUT', EffectiveRate: 0, ...applies(false, false, false, false, true) },
  { TaxType: 'GSTONIMPORTS', Name: 'GST on Imports', Status: 'ACTIVE', ReportTaxType: 'INPUT', EffectiveRate: 0, ...applies(true, false, true, false, false) },
  { TaxType: 'NONE', Name: 'No GST', Status: 'ACTIVE', ReportTaxType: 'NONE', EffectiveRate: 0, ...applies(true, true, true, true, true) },
];

const currencyNames: Record<string, string> = {
  NZD: 'New Zealand Dollar',
  AUD: 'Australian Dollar',
  USD: 'United States Dollar',
  GBP: 'British Pound',
  EUR: 'Euro',
  CAD: 'Canadian Dollar',
  SGD: 'Singapore Dollar',
  ZAR: 'South African Rand',
};

export function currencyName(code: string): string {
  return currencyNames[code] ?? code;
}

export class OrgBooks {
  readonly contacts = new Map<string, FakeContact>();
  readonly accounts = new Map<string, FakeAccount>();
  readonly taxRates = new Map<string, FakeTaxRate>();
  /** Subscribed currency codes, base currency first. */
  currencies: string[];
  readonly trackingCategories: FakeTrackingCategory[];
  /** YYYY-MM-DD, or undefined when not set. */
  periodLockDate: string | undefined = undefined;
  endOfYearLockDate: string | undefined = undefined;
  readonly documents: FakeDocument[] = [];
  private nextInvoiceNumber = 1;
  private nextCreditNoteNumber = 1;

  readonly baseCurrency: string;

  constructor(baseCurrency: string, now: number) {
    this.baseCurrency = baseCurrency;
    for (const account of seedAccounts) {
      const full: FakeAccount = { AccountID: randomUUID(), Status: 'ACTIVE', EnablePaymentsToAccount: false, ...account };
      this.accounts.set(full.AccountID, full);
    }
    for (const rate of seedTaxRates) this.taxRates.set(rate.TaxType, { ...rate });
    this.currencies = [...new Set([baseCurrency, 'AUD', 'USD'])];
    for (const name of ['Bayside Club', 'Acme Supplies', 'Ridgeway University']) this.addContact(name, 'ACTIVE', now);
    this.trackingCategories = [
      {
        TrackingCategoryID: randomUUID(),
        Name: 'Region',
        Status: 'ACTIVE',
        Options: ['North', 'South'].map((Name) => ({ TrackingOptionID: randomUUID(), Name, Status: 'ACTIVE' as const })),
      },
    ];
  }

  addContact(name: string, status: FakeContact['ContactStatus'], now: number): FakeContact {
    const contact: FakeContact = { ContactID: randomUUID(), Name: name, ContactStatus: status, UpdatedDateUTC: now };
    this.contacts.set(contact.ContactID, contact);
    return contact;
  }

  contactByName(name: string): FakeContact | undefined {
    const wanted = name.trim().toLowerCase();
    return [...this.contacts.values()].find((c) => c.Name.trim().toLowerCase() === wanted);
  }

  accountByCode(code: string): FakeAccount | undefined {
    return [...this.accounts.values()].find((a) => a.Code === code);
  }

  /** Adds or changes an account by code; the fields not given keep their value (or a sensible default). */
  upsertAccount(code: string, changes: Partial<Omit<FakeAccount, 'AccountID' | 'Code'>>): FakeAccount {
    const existing = this.accountByCode(code);
    if (existing) return Object.assign(existing, changes);
    const account: FakeAccount = { AccountID: randomUUID(), Code: code, Name: `Account ${code}`, Type: 'EXPENSE', Class: 'EXPENSE', Status: 'ACTIVE', TaxType: 'INPUT2', EnablePaymentsToAccount: false, ...changes };
    this.accounts.set(account.AccountID, account);
    return account;
  }

  issueInvoiceNumber(): string {
    let number: string;
    do number = `INV-${String(this.nextInvoiceNumber++).padStart(4, '0')}`;
    while (this.documents.some((d) => d.kind === 'invoice' && d.number === number));
    return number;
  }

  issueCreditNoteNumber(): string {
    let number: string;
    do number = `CN-${String(this.nextCreditNoteNumber++).padStart(4, '0')}`;
    while (this.documents.some((d) => d.kind === 'credit_note' && d.number === number));
    return number;
  }

  documentsOf(kind: FakeDocumentKind): FakeDocument[] {
    return this.documents.filter((d) => d.kind === kind);
  }

  documentById(kind: FakeDocumentKind, id: string): FakeDocument | undefined {
    return this.documents.find((d) => d.kind === kind && d.id === id);
  }

  /** Documents of one kind sharing a number or a reference: what a retry must never create. */
  duplicates(): Array<{ kind: FakeDocumentKind; field: 'number' | 'reference'; value: string; ids: string[] }> {
    const groups = new Map<string, { kind: FakeDocumentKind; field: 'number' | 'reference'; value: string; ids: string[] }>();
    for (const doc of this.documents) {
      if (doc.status === 'DELETED' || doc.status === 'VOIDED') continue;
      for (const field of ['number', 'reference'] as const) {
        const value = doc[field];
        if (!value) continue;
        const key = `${doc.kind}\u0000${field}\u0000${value}`;
        const group = groups.get(key) ?? { kind: doc.kind, field, value, ids: [] };
        group.ids.push(doc.id);
        groups.set(key, group);
      }
    }
    return [...groups.values()].filter((g) => g.ids.length > 1);
  }
}
