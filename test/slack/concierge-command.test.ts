import { describe, expect, it } from 'vitest';
import { parseConciergeCommand, repliesImmediately } from '../../src/slack/concierge-command.ts';
import { plainTextFromSlack } from '../../src/slack/slack-text.ts';
import { usageText } from '../../src/slack/user-text.ts';

describe('parseConciergeCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP me', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['errors', { kind: 'errors' }],
    ['reconnect', { kind: 'reconnect' }],
    ['connect', { kind: 'connect' }],
    ['disconnect  Kiwi   Travel Ltd', { kind: 'disconnect', organisation: 'Kiwi Travel Ltd' }],
    ['retry all', { kind: 'retry', target: { kind: 'all' } }],
    ['retry 3f2a9c1e-0000-4000-8000-000000000001', { kind: 'retry', target: { kind: 'one', id: '3f2a9c1e-0000-4000-8000-000000000001' } }],
    ['escalate', { kind: 'escalate', prefill: '' }],
    ['escalate  XERO11 on report 7', { kind: 'escalate', prefill: 'XERO11 on report 7' }],
    ['XERO11', { kind: 'ask', question: 'XERO11' }],
    ['why did my bill not sync', { kind: 'ask', question: 'why did my bill not sync' }],
    ['expired', { kind: 'ask', question: 'expired' }],
  ])('%j', (input, expected) => {
    expect(parseConciergeCommand(input)).toEqual(expected);
  });

  it('treats near-misses of subcommands and flags as usage errors', () => {
    expect(parseConciergeCommand('stauts')).toEqual({ kind: 'usage', problem: usageText.unknownSubcommand('stauts', 'status') });
    expect(parseConciergeCommand('retyr')).toEqual({ kind: 'usage', problem: usageText.unknownSubcommand('retyr', 'retry') });
    expect(parseConciergeCommand('--verbose')).toEqual({ kind: 'usage', problem: usageText.unknownSubcommand('--verbose', 'help') });
  });

  it('checks arguments', () => {
    expect(parseConciergeCommand('retry').kind).toBe('usage');
    expect(parseConciergeCommand('retry a b').kind).toBe('usage');
    expect(parseConciergeCommand('retry ../../etc').kind).toBe('usage');
    expect(parseConciergeCommand('errors now').kind).toBe('usage');
    expect(parseConciergeCommand('disconnect')).toEqual({ kind: 'usage', problem: usageText.badArguments(usageText.disconnectNeedsName) });
  });

  it('answers in the acknowledgement only what needs no database', () => {
    expect(repliesImmediately(parseConciergeCommand('XERO11'))).toBe(true);
    expect(repliesImmediately(parseConciergeCommand('help'))).toBe(true);
    expect(repliesImmediately(parseConciergeCommand('status'))).toBe(false);
    expect(repliesImmediately(parseConciergeCommand('retry all'))).toBe(false);
  });
});

describe('plainTextFromSlack', () => {
  it('removes the bot mention, keeps others readable and decodes entities', () => {
    expect(plainTextFromSlack('<@U0BOT> XERO11 &amp; <@U0PAT|pat> in <#C1|finance> see <https://x.test|this> &lt;b&gt;', 'U0BOT')).toBe(
      'XERO11 & @pat in #finance see this (https://x.test) <b>',
    );
  });
});
