// Mentions, DMs, the assistant container and App Home, driven by signed Events API requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../../src/slack/ids.ts';
import { text } from '../../src/slack/user-text.ts';
import { suggestedPrompts } from '../../src/slack/listeners/events/assistant.ts';
import { addConnection, adminUser, settle, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

// Xero configured (nothing is called here; the URLs name a closed local port), so every button can work.
const xeroConfigured = {
  XERO_CLIENT_ID: 'ABCDEF0123456789ABCDEF0123456789',
  XERO_CLIENT_SECRET: 'test-xero-client-secret-0123456789',
  XERO_IDENTITY_URL: 'http://127.0.0.1:9',
  XERO_API_URL: 'http://127.0.0.1:9',
};

beforeAll(async () => {
  t = await startTestApp({ env: xeroConfigured });
});
afterAll(async () => {
  await t?.close();
});

function postsTo(channel: string) {
  return t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
}

describe('answers in threads', () => {
  it('answers a mention in its thread with the article, the matched code and action buttons', async () => {
    const response = await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11 on my report', ts: '1700000100.000100', channel: 'C0MENTION1' });
    expect(response.status).toBe(200);
    const [reply] = await t.fake.waitFor(() => postsTo('C0MENTION1').length && postsTo('C0MENTION1'));
    expect(reply!.params.thread_ts).toBe('1700000100.000100');
    expect(reply!.token).toBe('xoxb-test-bot-token-000000');
    const blocks = JSON.stringify(reply!.params.blocks);
    expect(blocks).toContain('XERO11: the connection to Xero has expired');
    expect(blocks).toContain(text.whatItMeans);
    expect(blocks).toContain('1. Ask an admin');
    expect(blocks).toContain(text.matchedCode('XERO11'));
    for (const id of [actionIds.reconnect, actionIds.checkConnection, actionIds.retryFailed, actionIds.escalate, actionIds.feedbackHelpful, actionIds.feedbackNotHelpful]) {
      expect(blocks).toContain(id);
    }
    expect(blocks).not.toContain(actionIds.shareAnswer);
  });

  it('keeps answering inside an existing thread', async () => {
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> token expired', ts: '1700000101.000100', thread_ts: '1700000090.000001', channel: 'C0MENTION2' });
    const [reply] = await t.fake.waitFor(() => postsTo('C0MENTION2').length && postsTo('C0MENTION2'));
    expect(reply!.params.thread_ts).toBe('1700000090.000001');
  });

  it('answers a direct message in its thread', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11', ts: '1700000102.000100', channel: 'D0DIRECT01' });
    const [reply] = await t.fake.waitFor(() => postsTo('D0DIRECT01').length && postsTo('D0DIRECT01'));
    expect(reply!.params.thread_ts).toBe('1700000102.000100');
    expect(JSON.stringify(reply!.params.blocks)).toContain('XERO11');
  });

  it('names an unknown code back and offers Escalate instead of guessing', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'the QBO77 thing happened again with my invoices', ts: '1700000103.000050', channel: 'D0DIRECT12' });
    const [reply] = await t.fake.waitFor(() => postsTo('D0DIRECT12').length && postsTo('D0DIRECT12'));
    const blocks = JSON.stringify(reply!.params.blocks);
    expect(blocks).toContain(text.unknownCode('QBO77'));
    expect(blocks).toContain(actionIds.escalate);
  });

  it('says when it is not sure and offers up to three closest articles, each its own button, and Escalate; Slack accepts it', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'sync failed', ts: '1700000103.000100', channel: 'D0DIRECT02' });
    await t.fake.waitFor(() => postsTo('D0DIRECT02').length);
    // Stored means the fake accepted it: a refused message (invalid_blocks) is recorded as a call only.
    const [shown] = await t.fake.waitFor(() => t.fake.messagesIn('D0DIRECT02').length && t.fake.messagesIn('D0DIRECT02'));
    const blocks = JSON.stringify(shown!.blocks);
    expect(blocks).toContain(text.lowConfidence);
    expect(blocks).toContain(text.closestArticles);
    expect(blocks).toContain(actionIds.escalate);
    const candidates = (shown!.blocks as { elements?: { action_id: string }[] }[]).flatMap((b) => b.elements ?? []).filter((e) => e.action_id.startsWith('answer_show_article'));
    expect(candidates.map((e) => e.action_id)).toEqual([actionIds.showArticle, actionIds.showArticle2, actionIds.showArticle3]);
  });

  it('answers a vague mention with its closest articles in the thread', async () => {
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> my invoices are not showing up', ts: '1700000103.000200', channel: 'C0MENTION3' });
    const [shown] = await t.fake.waitFor(() => t.fake.messagesIn('C0MENTION3').length && t.fake.messagesIn('C0MENTION3'));
    expect(shown!.thread_ts).toBe('1700000103.000200');
    expect(JSON.stringify(shown!.blocks)).toContain(text.closestArticles);
  });

  it('says what it covers, with no candidates, when the question is about another product', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'QuickBooks token has expired', ts: '1700000103.000300', channel: 'D0DIRECT13' });
    const [shown] = await t.fake.waitFor(() => t.fake.messagesIn('D0DIRECT13').length && t.fake.messagesIn('D0DIRECT13'));
    const blocks = JSON.stringify(shown!.blocks);
    expect(blocks).toContain(text.outOfScope);
    expect(blocks).not.toContain('answer_show_article');
    expect(blocks).not.toContain(text.closestArticles);
  });

  it('answers in plain text, saying what happened, when Slack refuses the reply, and logs Slack\'s reason', async () => {
    t.fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11', ts: '1700000103.000400', channel: 'D0DIRECT14' });
    const [shown] = await t.fake.waitFor(() => t.fake.messagesIn('D0DIRECT14').length && t.fake.messagesIn('D0DIRECT14'));
    expect(shown!.blocks).toBeUndefined();
    expect(shown!.thread_ts).toBe('1700000103.000400');
    expect(shown!.text).toContain(text.replyRefused('XERO11').split(' In short:')[0]);
    expect(shown!.text).toContain('XERO11');
    const refusal = t.logs.map((line) => JSON.parse(line) as { code?: string; slackReasons?: string[] }).find((l) => l.code === 'reply_blocks_refused');
    expect(refusal?.slackReasons).toEqual(['invalid_blocks']);
  });

  it('reads an absurdly long message without failing and still answers', async () => {
    const huge = `XERO11 ${'lorem ipsum '.repeat(4000)}`;
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: huge, ts: '1700000104.000100', channel: 'D0DIRECT03' });
    const [reply] = await t.fake.waitFor(() => postsTo('D0DIRECT03').length && postsTo('D0DIRECT03'));
    expect(JSON.stringify(reply!.params.blocks)).toContain('XERO11');
  });
});

describe('buttons that cannot work in this deployment', () => {
  it('shows no Reconnect, Check connection or Retry without Xero, and no Escalate without a support channel', async () => {
    const bare = await startTestApp({ env: { SUPPORT_CHANNEL_ID: undefined } });
    try {
      await bare.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11', ts: '1700000105.000100', channel: 'D0DIRECT21' });
      await bare.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'sync failed', ts: '1700000105.000200', channel: 'D0DIRECT22' });
      const [article] = await bare.fake.waitFor(() => bare.fake.messagesIn('D0DIRECT21').length && bare.fake.messagesIn('D0DIRECT21'));
      const [vague] = await bare.fake.waitFor(() => bare.fake.messagesIn('D0DIRECT22').length && bare.fake.messagesIn('D0DIRECT22'));
      const articleBlocks = JSON.stringify(article!.blocks);
      expect(articleBlocks).toContain(actionIds.feedbackHelpful);
      for (const id of [actionIds.reconnect, actionIds.checkConnection, actionIds.retryFailed, actionIds.escalate]) expect(articleBlocks).not.toContain(id);
      const vagueBlocks = JSON.stringify(vague!.blocks);
      expect(vagueBlocks).toContain(actionIds.showArticle);
      expect(vagueBlocks).not.toContain(actionIds.escalate);
      expect(vagueBlocks).not.toContain(text.escalateOffer);
    } finally {
      await bare.close();
    }
  });
});

describe('what it never answers', () => {
  it('answers a retried event once, whether it comes with X-Slack-Retry-Num or again with the same event_id', async () => {
    const event = { type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700000200.000100', channel: 'C0RETRY001' };
    const first = await t.slack.event(event, { eventId: 'Ev0RETRY001' });
    const retried = await t.slack.event(event, { eventId: 'Ev0RETRY001', retryNum: 1 });
    const again = await t.slack.event(event, { eventId: 'Ev0RETRY001' });
    expect([first.status, retried.status, again.status]).toEqual([200, 200, 200]);
    await settle(t.app);
    await t.fake.waitFor(() => postsTo('C0RETRY001').length);
    await new Promise((r) => setTimeout(r, 100));
    expect(postsTo('C0RETRY001')).toHaveLength(1);
  });

  it('ignores bot messages, its own messages and message subtypes', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', bot_id: 'B0OTHER001', text: 'XERO11', ts: '1700000300.000100', channel: 'D0IGNORE01' });
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0BOT00001', bot_id: 'B0BOT00001', text: 'XERO11', ts: '1700000300.000200', channel: 'D0IGNORE01' });
    await t.slack.event({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: 'D0IGNORE01', ts: '1700000300.000300', message: { text: 'XERO11', user: 'U0USER0001' } });
    await t.slack.event({ type: 'message', subtype: 'bot_message', channel_type: 'im', bot_id: 'B0OTHER001', text: 'XERO11', ts: '1700000300.000400', channel: 'D0IGNORE01' });
    await t.slack.event({ type: 'app_mention', bot_id: 'B0OTHER001', text: '<@U0BOT00001> XERO11', ts: '1700000300.000500', channel: 'C0IGNORE01' });
    // A message that is answered, sent last, proves the ones before were processed and dropped.
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11', ts: '1700000300.000600', channel: 'D0IGNORE02' });
    await t.fake.waitFor(() => postsTo('D0IGNORE02').length);
    await settle(t.app);
    expect(postsTo('D0IGNORE01')).toHaveLength(0);
    expect(postsTo('C0IGNORE01')).toHaveLength(0);
  });
});

describe('the assistant container', () => {
  it('greets a new assistant thread with suggested prompts', async () => {
    await t.slack.event({
      type: 'assistant_thread_started',
      assistant_thread: { user_id: 'U0USER0001', context: { channel_id: 'C0CHAN0001', team_id: t.fake.teamId, enterprise_id: null }, channel_id: 'D0ASSIST01', thread_ts: '1700000400.000100' },
      event_ts: '1700000400.000200',
    });
    const prompts = await t.fake.waitFor(() => t.fake.callsOf('assistant.threads.setSuggestedPrompts')[0]);
    expect(prompts.params.channel_id).toBe('D0ASSIST01');
    expect(prompts.params.thread_ts).toBe('1700000400.000100');
    expect(JSON.stringify(prompts.params.prompts)).toContain(suggestedPrompts[0]!.message);
    const greeting = postsTo('D0ASSIST01')[0];
    expect(greeting?.params.text).toBe(text.assistantGreeting);
  });

  it('shows a status while working and answers in the assistant thread', async () => {
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11 on my report', ts: '1700000401.000100', thread_ts: '1700000400.000100', channel: 'D0ASSIST01' });
    const answer = await t.fake.waitFor(() => postsTo('D0ASSIST01').find((c) => JSON.stringify(c.params.blocks ?? '').includes('XERO11')));
    expect(answer.params.thread_ts).toBe('1700000400.000100');
    const status = t.fake.callsOf('assistant.threads.setStatus').find((c) => c.params.channel_id === 'D0ASSIST01');
    expect(status?.params.status).toBe(text.working);
    expect(t.fake.calls.indexOf(status!)).toBeLessThan(t.fake.calls.indexOf(answer));
  });
});

describe('App Home', () => {
  it('shows the workspace connections, failed syncs, open escalations and my escalations within 100 blocks', async () => {
    const db = t.app.db;
    const teamId = t.fake.teamId;
    for (let i = 0; i < 15; i++) {
      await addConnection(t, { id: `tenant-${i}`, name: `Org ${i}`, connectionId: `conn-${i}`, scopes: ['accounting.transactions'] });
    }
    for (let i = 0; i < 30; i++) {
      await db.failedSyncs.create({ slackTeamId: teamId, externalReference: `Report ${i}`, kind: 'bill', payload: { n: i }, errorCode: 'XERO11', errorMessage: 'The connection to Xero has expired' });
    }
    for (let i = 0; i < 30; i++) {
      await db.escalations.create({ slackTeamId: teamId, reporterSlackUserId: i % 2 ? 'U0USER0001' : 'U0OTHER001', channelId: 'C0CHAN0001', errorText: `Error number ${i}` });
    }
    await t.slack.event({ type: 'app_home_opened', user: adminUser, channel: 'D0HOME0001', tab: 'home', event_ts: '1700000500.000100' });
    const publish = await t.fake.waitFor(() => t.fake.callsOf('views.publish').find((c) => c.params.user_id === adminUser));
    const view = publish.params.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('Org 0');
    expect(shown).toContain('Report 29');
    expect(shown).toContain('Error number');
    // Admins get the buttons that change things.
    expect(shown).toContain(actionIds.retrySync);
    expect(shown).toContain(actionIds.claimEscalation);

    await t.slack.event({ type: 'app_home_opened', user: 'U0USER0001', channel: 'D0HOME0002', tab: 'home', event_ts: '1700000500.000200' });
    const mine = await t.fake.waitFor(() => t.fake.callsOf('views.publish').find((c) => c.params.user_id === 'U0USER0001'));
    const mineBlocks = JSON.stringify((mine.params.view as { blocks: unknown[] }).blocks);
    expect(mineBlocks).not.toContain(actionIds.retrySync);
    expect(mineBlocks).not.toContain(actionIds.claimEscalation);
    expect(mineBlocks).toContain('Your recent escalations');
  });
});
