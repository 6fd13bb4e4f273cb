// Keeps every Xero authorization alive: refreshes access tokens before they lapse and any token
// set whose refresh token is getting old (Xero drops one unused for 60 days), then sends the
// reconnect links owed for sets Xero rejected. Every instance runs it; the set's lease and the
// notice marker make each refresh and each link happen once. Scheduling lives in schedule-jobs.ts.
import { settleReconnectNotice, takeReconnectNotices, type NoticeDelivery, type ReconnectNotice, type XeroConnectDeps } from '../support/xero-connect.ts';
import { refreshDueTokenSets, type RefreshSweepResult, type XeroTokenDeps } from '../support/xero-tokens.ts';

export const jobName = 'refresh-xero-tokens';

/** Most token sets one run refreshes, and most reconnect links it sends. */
export const batchSize = 50;

export interface RefreshXeroTokensDeps {
  tokens: XeroTokenDeps;
  connect: XeroConnectDeps;
  /** Delivers one reconnect link to the person (the Slack edge), first looking for an earlier attempt's DM. */
  deliverReconnectNotice: (notice: ReconnectNotice) => Promise<NoticeDelivery>;
}

export interface RefreshXeroTokensResult extends RefreshSweepResult {
  noticesSent: number;
}

export async function exec(deps: RefreshXeroTokensDeps): Promise<RefreshXeroTokensResult> {
  const sweep = await refreshDueTokenSets(deps.tokens, { limit: batchSize });
  let noticesSent = 0;
  for (const notice of await takeReconnectNotices(deps.connect, { limit: batchSize })) {
    const delivery = await deps.deliverReconnectNotice(notice);
    if (delivery === 'sent') noticesSent++;
    await settleReconnectNotice(deps.connect, notice, delivery);
  }
  return { ...sweep, noticesSent };
}
