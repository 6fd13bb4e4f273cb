// The one way into the database for the app and the CLI: keys, client, migrations and
// repositories, opened together and closed together.
import type { Config } from '../config.ts';
import { configuredKeys, loadSecretBox } from './encryption-keys.ts';
import { recordRotation, storedKeyIds, verifyKeys } from './key-check.ts';
import { applyPendingMigrations, migrationStatus } from './migrate.ts';
import type { MigrationStatus } from './migrations.ts';
import { connectionProblem, createClient, describeDatabase } from './prisma-client.ts';
import { tightenDataDir } from './sqlite-files.ts';
import { checkSqliteIntegrity } from './sqlite-integrity.ts';
import type { RetryPolicy } from '../support/records.ts';
import { createAuditRepository, type AuditRepository } from './repositories/audit.ts';
import { createConnectionRepository, type ConnectionRepository } from './repositories/connections.ts';
import { createTokenSetRepository, type TokenSetRepository } from './repositories/token-sets.ts';
import { createHealthAlertRepository, type HealthAlertRepository } from './repositories/health-alerts.ts';
import { createEscalationRepository, type EscalationRepository } from './repositories/escalations.ts';
import { createFailedSyncRepository, defaultRetryPolicy, type FailedSyncRepository } from './repositories/failed-syncs.ts';
import { createFeedbackRepository, type FeedbackRepository } from './repositories/feedback.ts';
import { createInstallationRepository, type InstallationRepository } from './repositories/installations.ts';
import { createJobRunRepository, type JobRunRepository } from './repositories/job-runs.ts';
import { createOAuthStateRepository, type OAuthStateRepository } from './repositories/oauth-states.ts';
import { createRetryRequestRepository, type RetryRequestRepository } from './repositories/retry-requests.ts';
import { createXeroCallGate, type XeroCallGateRepository } from './repositories/xero-call-gate.ts';
import type { CallPermitOptions } from './call-permits.ts';
import type { XeroLimits } from '../support/xero-rate-limits.ts';
import { createSlackEventRepository, type SlackEventRepository } from './repositories/slack-events.ts';
import { createThreadTurnRepository, type ThreadTurnRepository } from './repositories/thread-turns.ts';
import { createFailureDiagnosisRepository, type FailureDiagnosisRepository } from './repositories/failure-diagnoses.ts';
import { createXeroWebhookRepository, type XeroWebhookRepository } from './repositories/xero-webhooks.ts';
import { createCaseConversationRepository, type CaseConversationRepository } from './repositories/case-conversations.ts';
import { createAnsweredThreadRepository, type AnsweredThreadRepository } from './repositories/answered-threads.ts';
import { rotateKeys, type KeyRotationResult } from './rotate-keys.ts';
import type { DatabaseProvider } from './schema-files.ts';

export type DatabaseSettings = Pick<Config, 'database' | 'dataDir' | 'encryptionKey' | 'oldEncryptionKeys'>;

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (default true). With false, only check the history. */
  migrate?: boolean;
  /** Receives warnings such as "using a generated encryption key" (default: standard error). */
  warn?: (message: string) => void;
  /** Backoff of failed-sync retries (default 5 attempts, 30 s doubling up to 1 h). */
  retryPolicy?: Partial<RetryPolicy>;
}

export interface Database {
  provider: DatabaseProvider;
  installations: InstallationRepository;
  connections: ConnectionRepository;
  tokenSets: TokenSetRepository;
  oauthStates: OAuthStateRepository;
  failedSyncs: FailedSyncRepository;
  diagnoses: FailureDiagnosisRepository;
  xeroWebhooks: XeroWebhookRepository;
  escalations: EscalationRepository;
  healthAlerts: HealthAlertRepository;
  feedback: FeedbackRepository;
  slackEvents: SlackEventRepository;
  threadTurns: ThreadTurnRepository;
  caseConversations: CaseConversationRepository;
  answeredThreads: AnsweredThreadRepository;
  audit: AuditRepository;
  jobRuns: JobRunRepository;
  retryRequests: RetryRequestRepository;
  /** Xero's rate limits shared by every process on this database (one gate per set of limits). */
  xeroCallGate(limits: XeroLimits, options?: CallPermitOptions): XeroCallGateRepository;
  /** Resolves when the database answers; throws a DatabaseError saying why not. */
  ping(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  /** Re-encrypts every stored secret under CONCIERGE_ENCRYPTION_KEY, and the key check with them. */
  rotateKeys(): Promise<KeyRotationResult>;
  /** Resolves when the configured keys still open the key check; throws a DatabaseError naming the key needed. */
  checkKeys(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the configured database. Throws a DatabaseError (code + what to do) when a key is
 * missing or not the one the data was sealed with, the database is unreachable, damaged or not
 * ours, or its migration history does not match the committed migrations. Nothing is written
 * then, except pending migrations: the key check needs its table.
 */
export async function openDatabase(settings: DatabaseSettings, options: OpenDatabaseOptions = {}): Promise<Database> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const keySettings = { provider: settings.database.provider, dataDir: settings.dataDir, encryptionKey: settings.encryptionKey, oldEncryptionKeys: settings.oldEncryptionKeys };
  const keys = configuredKeys(keySettings);
  if (settings.database.provider === 'sqlite') tightenDataDir(settings.dataDir);
  const handle = await createClient(settings.database);
  const { prisma } = handle;
  let opened;
  try {
    // Before anything writes to it: a damaged file is reported, not migrated.
    if (settings.database.provider === 'sqlite') await checkSqliteIntegrity(prisma, settings.database);
    if (options.migrate === false) await migrationStatus(handle, settings.database);
    else await applyPendingMigrations(handle, settings.database);
    if (settings.database.provider === 'sqlite') {
      // Only once the file is known to be ours: write-ahead logging (stored in the file) lets
      // readers and a writer from several processes work at once; the adapter's busy timeout
      // makes writers wait their turn instead of failing.
      await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    }
    opened = await loadSecretBox(keys, keySettings, { where: describeDatabase(settings.database), storedKeyIds: () => storedKeyIds(prisma), warn });
    await verifyKeys(prisma, opened.box, { currentSource: opened.currentSource, record: options.migrate !== false });
  } catch (err) {
    await prisma.$disconnect().catch(() => {});
    throw err;
  }
  const { box, currentSource } = opened;
  const provider = settings.database.provider;
  return {
    provider,
    installations: createInstallationRepository(prisma, box),
    connections: createConnectionRepository(prisma),
    tokenSets: createTokenSetRepository(prisma, provider, box),
    oauthStates: createOAuthStateRepository(prisma),
    failedSyncs: createFailedSyncRepository(prisma, provider, { ...defaultRetryPolicy, ...options.retryPolicy }),
    diagnoses: createFailureDiagnosisRepository(prisma),
    xeroWebhooks: createXeroWebhookRepository(prisma),
    escalations: createEscalationRepository(prisma, provider),
    healthAlerts: createHealthAlertRepository(prisma, provider),
    feedback: createFeedbackRepository(prisma),
    slackEvents: createSlackEventRepository(prisma),
    threadTurns: createThreadTurnRepository(prisma),
    caseConversations: createCaseConversationRepository(prisma),
    answeredThreads: createAnsweredThreadRepository(prisma),
    audit: createAuditRepository(prisma),
    jobRuns: createJobRunRepository(prisma),
    retryRequests: createRetryRequestRepository(prisma),
    xeroCallGate: (limits, gateOptions) => createXeroCallGate(prisma, provider, limits, gateOptions),
    async ping() {
      try {
        await prisma.$queryRawUnsafe('SELECT 1');
      } catch (err) {
        throw connectionProblem(err, settings.database) ?? err;
      }
    },
    migrationStatus: () => migrationStatus(handle, settings.database),
    migrate: () => applyPendingMigrations(handle, settings.database),
    async rotateKeys() {
      const result = await rotateKeys(prisma, box);
      await recordRotation(prisma, box);
      return result;
    },
    checkKeys: () => verifyKeys(prisma, box, { currentSource, record: false }),
    close: () => prisma.$disconnect(),
  };
}
