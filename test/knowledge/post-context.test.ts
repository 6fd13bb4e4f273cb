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
});
