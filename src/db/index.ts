// The database layer's public surface: the factory, its repositories' interfaces, the domain
// records they exchange and the errors they throw. Nothing outside src/db/ needs more.
export { openDatabase, type Database, type DatabaseSettings, type OpenDatabaseOptions } from './open-database.ts';
export { DatabaseError, type DatabaseErrorCode } from './database-error.ts';
export { keyId } from './secret-box.ts';
export type { MigrationStatus } from './migrations.ts';
export type { KeyRotationResult } from './rotate-keys.ts';
export type { DatabaseProvider } from './schema-files.ts';
export type { AuditRepository } from './repositories/audit.ts';
export type { ConnectionRepository } from './repositories/connections.ts';
export type { TokenSetRepository } from './repositories/token-sets.ts';
export type { EscalationRepository } from './repositories/escalations.ts';
export type { ClaimOptions, FailedSyncRepository } from './repositories/failed-syncs.ts';
export type { HealthAlertRepository } from './repositories/health-alerts.ts';
export type { FeedbackRepository } from './repositories/feedback.ts';
export type { InstallationRepository } from './repositories/installations.ts';
export type { JobRunRepository } from './repositories/job-runs.ts';
export type { OAuthStateRepository } from './repositories/oauth-states.ts';
export type { RetryRequestRepository } from './repositories/retry-requests.ts';
export type { XeroCallGateRepository } from './repositories/xero-call-gate.ts';
export type { SlackEventRepository } from './repositories/slack-events.ts';
export type { ThreadTurnRepository } from './repositories/thread-turns.ts';
export type { FailureDiagnosisRepository } from './repositories/failure-diagnoses.ts';
export type { XeroWebhookRepository } from './repositories/xero-webhooks.ts';
export type { CaseConversationRepository } from './repositories/case-conversations.ts';
export type { AnsweredThreadRepository } from './repositories/answered-threads.ts';
export * from '../support/records.ts';
export { describeDatabase } from './prisma-client.ts';
