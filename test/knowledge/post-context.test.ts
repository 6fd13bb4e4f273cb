import { describe, expect, it } from 'vitest';
import { withoutContext } from '../../src/knowledge/post-context.ts';

describe('the context around the error in a post', () => {
  it('leaves a post with no context as it is', () => {
    const q = 'Xero says the account code is archived when we export the bill';
    expect(withoutContext(q)).toBe(q);
  });

  it('drops greetings, thanks, the environment and a history of it working', () => {
    const post = 'Hi all,\nWe run Node 18 on AWS Lambda with the official SDK.\nIt has worked fine for two years.\nThe tax rate is invalid for this account\nAny help appreciated, thanks!';
    expect(withoutContext(post)).toBe('The tax rate is invalid for this account');
  });

  it('drops what the author already did and a job that stopped, but never a line that reports the error', () => {
    expect(withoutContext('Our nightly job stopped. We already restarted the service.\nRate limit exceeded')).toBe('Rate limit exceeded');
    expect(withoutContext('We restarted the service and it failed with 401 Unauthorized')).toBe('We restarted the service and it failed with 401 Unauthorized');
  });

  it('drops what stands under a context heading, even after a blank line, and a heading over what happened', () => {
    const post = '## Describe the bug\nThe tax rate is rejected\n\n## Expected behaviour\n\nThe bill shows up in the books.\n\n## Environment\n- Node 20\n- books-client 3.1';
    expect(withoutContext(post)).toBe('The tax rate is rejected');
  });

  it('drops the headings, steps and expected behaviour of an issue template, keeping a step that says what failed', () => {
    const post = 'Contact not found\n\nSteps to reproduce:\n1. Open the dashboard\n2. See error\n3. The tax rate is rejected\n\nExpected behavior: the record appears.\nVersion 4.2.1';
    expect(withoutContext(post)).toBe('Contact not found\n\n3. The tax rate is rejected');
  });

  it('drops stack frames, a log label before the message and a bare line that introduces it', () => {
    const post = 'and this is what comes back:\nUnhandled rejection in the export worker: Invoice not found\n    at Client.request (/app/client.js:214:11)\n    at async run (/app/run.js:4:7)\n  File "/x/basemanager.py", line 264, in wrapper';
    expect(withoutContext(post)).toBe('Invoice not found');
  });

  it('keeps a question, whatever it names, and drops a log label before it', () => {
    expect(withoutContext('Hello,\nDoes the SDK version 4 include the OAuth flow?')).toBe('Does the SDK version 4 include the OAuth flow?');
    expect(withoutContext('Unhandled rejection in the export worker: How do I void an invoice?')).toBe('How do I void an invoice?');
  });

  it("drops who the author is, the remedies anyone tries first, a plea for help and a line that only introduces the quote", () => {
    const post = "I'm the bookkeeper for a small café and not technical at all. The app shows a red banner that says:\n\nSupplier not found in Xero\n\nI've tried logging out and back in. What should I do?";
    expect(withoutContext(post)).toBe('Supplier not found in Xero');
  });

  it("drops the device section of GitHub's bug template", () => {
    const post = '**Describe the bug**\nSupplier not found in Xero\n\n**Desktop (please complete the following information):**\n - OS: Windows 11\n - Browser: Chrome 119';
    expect(withoutContext(post)).toBe('Supplier not found in Xero');
  });

  it("drops a Python traceback's header and source lines, the module path of an exception class and a generic class before the message", () => {
    const post = 'Traceback (most recent call last):\n  File "sync.py", line 42, in <module>\n    client.export(invoice)\n  File "/srv/ledger/api.py", line 88, in export\n    raise ApiError(resp)\nledger.errors.ApiError: Supplier not found in Xero';
    expect(withoutContext(post)).toBe('Supplier not found in Xero');
    expect(withoutContext('Error: Request failed with status code 401')).toBe('Request failed with status code 401');
    expect(withoutContext('XeroRateLimitExceeded: please wait')).toBe('XeroRateLimitExceeded: please wait');
  });

  it("drops a forwarded email's marker, headers, sign-off and signature, and a plea that someone has seen it before", () => {
    const post = '---------- Forwarded message ---------\nFrom: Support <support@books.example>\nDate: Mon, 4 Mar 2024 at 09:12\nSubject: Re: sync problem\n\nHi Anna,\n\nThe log for your account shows:\n\nInvoice not found\n\nHas anyone seen this before?\nKind regards,\nThe support team';
    expect(withoutContext(post)).toBe('Invoice not found');
  });

  it("drops a help page's title, its sentences about itself and where the reason shows, and its offer of support", () => {
    const page = 'Troubleshooting sync errors\n\nIf a record fails to sync, the reason is shown in the sync log. Below is one of the messages you may see.\n\nInvoice not found\n\nIf the steps above do not resolve the problem, contact our support team.';
    expect(withoutContext(page)).toBe('Invoice not found');
    expect(withoutContext('Error messages when publishing\n\nThis article lists the errors you might see.\n\nInvoice not found')).toBe('Invoice not found');
  });

  it("keeps a message that asks to contact support, and a first line that is the message itself", () => {
    const reply = 'Status code: 500\nBody: {"error": "Unexpected error, please reach out to our team"}';
    expect(withoutContext(reply)).toBe(reply);
    const message = 'Sync errors on every invoice\n\nThe tax rate is invalid';
    expect(withoutContext(message)).toBe(message);
  });

  it('drops the effort spent, a later edit saying it still happens, and a set-up naming C# or .NET', () => {
    const post = "I've been stuck on this for two days and searched everywhere. I'm building an internal tool in C# (.NET 6) that pushes our sales to the books.\n\nInvoice not found\n\nEDIT: still happening after updating to the latest NuGet package.";
    expect(withoutContext(post)).toBe('Invoice not found');
  });

  it('drops the code that made the call before the line introducing what came back, but no JSON reply', () => {
    const post = 'This is how we call it:\n\nconst result = await client.createInvoices(tenantId, { invoices: [invoice] });\nif (result.ok) {\n}\n\nand this is what comes back:\nInvoice not found';
    expect(withoutContext(post)).toBe('Invoice not found');
    const reply = '{\n"Title": "Forbidden",\n"Detail": "AuthenticationUnsuccessful"\n}\n\nSteps to reproduce:\n1. Call the API';
    expect(withoutContext(reply)).toBe('{\n"Title": "Forbidden",\n"Detail": "AuthenticationUnsuccessful"\n}');
  });

  it('keeps a sentence of context whose contrast brings what went wrong', () => {
    expect(withoutContext("I'm the admin of our organisation but the connect button is greyed out.\nThanks")).toBe("I'm the admin of our organisation but the connect button is greyed out.");
    expect(withoutContext('It has worked fine until we changed the account code.\nThanks in advance')).toBe('It has worked fine until we changed the account code.');
    expect(withoutContext('We restarted it, but nothing changed.\nThe tax rate is invalid')).toBe('The tax rate is invalid');
  });
});
