// The one way into the database for the app and the CLI: keys, client, migrations and
// repositories, opened together and closed together.
import type { Config } from '../config.ts';
import { loadSecretBox } from './encryption-keys.ts';
import { applyPendingMigrations, migrationStatus } from './migrate.ts';
import type { MigrationStatus } from './migrations.ts';
import { connectionProblem, createClient } from './prisma-client.ts';
import type { RetryPolicy } from '../support/records.ts';
import { createAuditRepository, type AuditRepository } from './repositories/audit.ts';
import { createConnectionRepository, type ConnectionRepository } from './repositories/connections.ts';
import { createHealthAlertRepository, type HealthAlertRepository } from './repositories/health-alerts.ts';
import { createEscalationRepository, type EscalationRepository } from './repositories/escalations.ts';
import { createFailedSyncRepository, defaultRetryPolicy, type FailedSyncRepository } from './repositories/failed-syncs.ts';
import { createFeedbackRepository, type FeedbackRepository } from './repositories/feedback.ts';
import { createInstallationRepository, type InstallationRepository } from './repositories/installations.ts';
import { createOAuthStateRepository, type OAuthStateRepository } from './repositories/oauth-states.ts';
import { createSlackEventRepository, type SlackEventRepository } from './repositories/slack-events.ts';
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
  oauthStates: OAuthStateRepository;
  failedSyncs: FailedSyncRepository;
  escalations: EscalationRepository;
  healthAlerts: HealthAlertRepository;
  feedback: FeedbackRepository;
  slackEvents: SlackEventRepository;
  audit: AuditRepository;
  /** Resolves when the database answers; throws a DatabaseError saying why not. */
  ping(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  /** Re-encrypts every stored secret under CONCIERGE_ENCRYPTION_KEY. */
  rotateKeys(): Promise<KeyRotationResult>;
  close(): Promise<void>;
}

/**
 * Opens the configured database. Throws a DatabaseError (code + what to do) when the key is
 * missing, the database is unreachable, corrupt or not ours, or its migration history does
 * not match the committed migrations; in those cases nothing is written.
 */
export async function openDatabase(settings: DatabaseSettings, options: OpenDatabaseOptions = {}): Promise<Database> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const box = loadSecretBox(
    { provider: settings.database.provider, dataDir: settings.dataDir, encryptionKey: settings.encryptionKey, oldEncryptionKeys: settings.oldEncryptionKeys },
    warn,
  );
  const handle = await createClient(settings.database);
  const { prisma } = handle;
  try {
    if (options.migrate === false) await migrationStatus(handle, settings.database);
    else await applyPendingMigrations(handle, settings.database);
    if (settings.database.provider === 'sqlite') {
      // Only once the file is known to be ours: write-ahead logging (stored in the file) lets
      // readers and a writer from several processes work at once; the adapter's busy timeout
      // makes writers wait their turn instead of failing.
      await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    }
  } catch (err) {
    await prisma.$disconnect().catch(() => {});
    throw err;
  }
  const provider = settings.database.provider;
  return {
    provider,
    installations: createInstallationRepository(prisma, box),
    connections: createConnectionRepository(prisma, provider, box),
    oauthStates: createOAuthStateRepository(prisma),
    failedSyncs: createFailedSyncRepository(prisma, provider, { ...defaultRetryPolicy, ...options.retryPolicy }),
    escalations: createEscalationRepository(prisma, provider),
    healthAlerts: createHealthAlertRepository(prisma, provider),
    feedback: createFeedbackRepository(prisma),
    slackEvents: createSlackEventRepository(prisma),
    audit: createAuditRepository(prisma),
    async ping() {
      try {
        await prisma.$queryRawUnsafe('SELECT 1');
      } catch (err) {
        throw connectionProblem(err, settings.database) ?? err;
      }
    },
    migrationStatus: () => migrationStatus(handle, settings.database),
    migrate: () => applyPendingMigrations(handle, settings.database),
    rotateKeys: () => rotateKeys(prisma, box),
    close: () => prisma.$disconnect(),
  };
}
