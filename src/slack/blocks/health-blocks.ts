// Connection health as Block Kit: the status reply (live verdict per connection, what to do from
// its article, how old the check is, Reconnect when that is the fix, Check connection), the live
// diagnosis an answer leads with, and the alert posted to ALERTS_CHANNEL_ID. Pure functions.
import type { Article } from '../../knowledge/article.ts';
import type { HealthReport } from '../../support/check-connection.ts';
import type { ConnectionHealthView } from '../../support/connection-health.ts';
import type { HealthAlert } from '../../support/records.ts';
import type { WebhookHealth } from '../../support/xero-webhooks.ts';
import { actionIds } from '../ids.ts';
import { actionLabels, ago, alertText, connectionStatusText, exportAlertText, healthText, homeText, text, verdictText, webhookText } from '../user-text.ts';
import { actions, button, clip, context, escapeMrkdwn, header, limits, markdownToMrkdwn, section, type Blocks } from './block-kit.ts';
import type { SlackReply } from './support-blocks.ts';

export interface HealthBlockOptions {
  now: Date;
  getArticle: (id: string) => Article | undefined;
  /** Xero's webhook deliveries for the workspace; absent when webhooks are off. */
  webhooks?: WebhookHealth | null;
}

export const healthBlockIds = {
  check: 'health_check',
  connection: (id: string) => `health_${id}`,
} as const;

/** The verdict in one sentence, naming who connected the organisation when it is broken. */
export function verdictLine(report: HealthReport, now: Date): string {
  const lines = [verdictText[report.verdict](`*${escapeMrkdwn(report.tenantName)}*`, ago(report.since, now))];
  if (report.verdict !== 'healthy') {
    lines.push(report.connectedByXeroEmail ? `${healthText.connectedBy(report.connectedBySlackUserId)} ${healthText.connectedByEmail(escapeMrkdwn(report.connectedByXeroEmail))}` : healthText.connectedBy(report.connectedBySlackUserId));
  }
  if (report.reconnect) lines.push(healthText.reconnectFixes);
  return lines.join(' ');
}

function facts(report: HealthReport, now: Date): string {
  const parts = [healthText.checked(ago(report.checkedAt, now))];
  if (report.organisation) {
    parts.push(healthText.organisation(report.organisation.status ?? '?', report.organisation.subscriptionClass ?? '?', report.organisation.isDemoCompany));
  }
  if (report.headroom) parts.push(healthText.headroom(report.headroom.minuteRemaining ?? '?', report.headroom.dayRemaining ?? '?'));
  parts.push(healthText.exports(report.exports.failed, report.exports.queued));
  return parts.join(' · ');
}

function advice(report: HealthReport, options: HealthBlockOptions): string | null {
  const article = report.articleId ? options.getArticle(report.articleId) : undefined;
  const step = article?.steps[0];
  return article && step ? healthText.whatToDo(escapeMrkdwn(article.title), clip(markdownToMrkdwn(step), 600)) : null;
}

function reconnectButton(report: HealthReport) {
  return button({ actionId: actionIds.reconnect, label: actionLabels.reconnect, value: report.connectionId, style: 'primary' });
}

/** One connection: verdict, facts, what to do, and Reconnect when that is the fix. */
export function healthBlocks(report: HealthReport, options: HealthBlockOptions): Blocks {
  const blocks: Blocks = [section(verdictLine(report, options.now)), context(facts(report, options.now))];
  const nextStep = advice(report, options);
  if (nextStep) blocks.push(section(nextStep));
  if (report.reconnect) blocks.push(actions(healthBlockIds.connection(report.connectionId), [reconnectButton(report)]));
  return blocks;
}

export function buildConnectionHealthReply(view: ConnectionHealthView, options: HealthBlockOptions): SlackReply {
  const blocks: Blocks = [header(text.statusTitle)];
  if (!view.xeroConfigured) blocks.push(section(healthText.xeroNotConfigured));
  if (!view.entries.length) blocks.push(section(text.noConnections));
  for (const { connection, health } of view.entries) {
    if (view.xeroConfigured && health) blocks.push(...healthBlocks(health, options));
    else blocks.push(section(storedLine(connection, health, options.now)));
  }
  if (options.webhooks && view.entries.length) blocks.push(context(webhookLine(options.webhooks, options.now)));
  if (view.xeroConfigured && view.entries.length) {
    blocks.push(actions(healthBlockIds.check, [button({ actionId: actionIds.checkConnection, label: healthText.checkConnection, value: 'all' })]));
  }
  const summary = view.entries.length ? view.entries.map((e) => `${e.connection.tenantName}: ${e.health?.verdict ?? e.connection.status}`).join(', ') : text.noConnections;
  return { text: `${text.statusTitle}: ${summary}`, blocks: capped(blocks) };
}

/** "Xero webhooks: last delivery 4 minutes ago", or none in 24 hours (PAYMENTS_NOT_APPEARING). */
export function webhookLine(webhooks: WebhookHealth, now: Date): string {
  return webhooks.silent || !webhooks.lastDeliveryAt ? webhookText.none : webhookText.lastDelivery(ago(webhooks.lastDeliveryAt, now));
}

/** App Home and the unconfigured status: the stored status with the stored verdict's words when there is one. */
export function storedLine(
  connection: { tenantName: string; status: keyof typeof connectionStatusText; statusReason: string | null; lastCheckedAt: Date | null },
  health: HealthReport | null,
  now: Date,
): string {
  if (health) return `${verdictLine(health, now)} (${healthText.checked(ago(health.checkedAt, now))})`;
  const checked = connection.lastCheckedAt ? homeText.lastChecked(ago(connection.lastCheckedAt, now)) : healthText.neverChecked;
  const reason = connection.statusReason ? ` — ${escapeMrkdwn(clip(connection.statusReason, 300))}` : '';
  return `*${escapeMrkdwn(connection.tenantName)}*: ${connectionStatusText[connection.status]}${reason} (${checked})`;
}

/** What an answer about a connection problem leads with: each connection's live verdict. */
export function buildDiagnosisBlocks(reports: readonly HealthReport[], answeredArticleId: string | null, options: HealthBlockOptions): Blocks {
  const blocks: Blocks = [];
  for (const report of reports) {
    blocks.push(section(`*${healthText.liveTitle}* · ${verdictLine(report, options.now)}`), context(facts(report, options.now)));
    const other = report.articleId && report.articleId !== answeredArticleId ? options.getArticle(report.articleId) : undefined;
    if (other) blocks.push(section(healthText.otherCause(escapeMrkdwn(other.title))));
    const nextStep = report.articleId !== answeredArticleId ? advice(report, options) : null;
    if (nextStep) blocks.push(section(nextStep));
    if (report.reconnect) blocks.push(actions(healthBlockIds.connection(report.connectionId), [reconnectButton(report)]));
  }
  return blocks;
}

/** The alert as posted; the alert id travels in the message metadata so a lost record can be matched later. */
export function buildAlertMessage(alert: HealthAlert, options: HealthBlockOptions & { diagnosis?: readonly string[] | null }) {
  if (alert.kind === 'exports_failed') return withAlertMetadata(alert, exportAlertLines(alert, options).join('\n'));
  const lines = [alertText[alert.kind](alert.details)];
  const articleId = typeof alert.details.articleId === 'string' ? alert.details.articleId : null;
  const article = alert.kind === 'connection_broken' && articleId ? options.getArticle(articleId) : undefined;
  // Titles carry no full stop; the fix follows as its own sentence.
  if (article) lines.push(`${escapeMrkdwn(article.title)}${/[.!?]$/.test(article.title) ? '' : '.'}${alert.details.reconnect ? ` ${healthText.reconnectFixes}` : ''}`);
  return withAlertMetadata(alert, lines.join('\n'));
}

function withAlertMetadata(alert: HealthAlert, message: string) {
  return {
    text: message,
    blocks: [section(clip(message, 2900))] as Blocks,
    metadata: { event_type: alertMetadataType, event_payload: { alert_id: alert.id, kind: alert.kind } },
  };
}

/** Failed exports: how many, which, why (the article), and what Xero shows now when it was read. */
function exportAlertLines(alert: HealthAlert, options: HealthBlockOptions & { diagnosis?: readonly string[] | null }): string[] {
  const d = alert.details;
  const named = (value: unknown) => (typeof value === 'string' && value ? escapeMrkdwn(clip(value, 120)) : null);
  const lines = [alertText.exports_failed({ ...d, tenantName: named(d.tenantName), reference: named(d.reference), exportKind: String(d.exportKind ?? 'export').replace(/_/g, ' ') })];
  const article = typeof d.articleId === 'string' ? options.getArticle(d.articleId) : undefined;
  if (article) lines.push(exportAlertText.why(escapeMrkdwn(article.title)));
  else if (typeof d.errorMessage === 'string') lines.push(exportAlertText.xeroSaid(escapeMrkdwn(clip(d.errorMessage, 300))));
  if (options.diagnosis?.length) lines.push(`${exportAlertText.xeroShowsNow} ${options.diagnosis.join(' ')}`);
  lines.push(exportAlertText.listed);
  return lines;
}

export const alertMetadataType = 'concierge_health_alert';

function capped(blocks: Blocks): Blocks {
  return blocks.length <= limits.messageBlocks ? blocks : [...blocks.slice(0, limits.messageBlocks - 1), context(homeText.more(blocks.length - limits.messageBlocks + 1))];
}
