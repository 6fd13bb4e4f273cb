// Slack installations, shaped for Bolt's InstallationStore (store / fetch / delete). The tokens
// are sealed together in one ciphertext; ids, names and scopes stay readable for queries.
import type { DbClient } from '../prisma-client.ts';
import type { InstallationQuery, SlackInstallation, SlackInstallationInput } from '../../support/records.ts';
import type { SecretBox } from '../secret-box.ts';

export interface InstallationRepository {
  /** Saves an installation, replacing the previous one of the same workspace or organisation. */
  store(installation: SlackInstallationInput): Promise<SlackInstallation>;
  fetch(query: InstallationQuery): Promise<SlackInstallation | null>;
  /** True when there was an installation to delete. */
  delete(query: InstallationQuery): Promise<boolean>;
}

interface SealedSecrets {
  botToken: string;
  botRefreshToken: string | null;
  userToken: string | null;
  userRefreshToken: string | null;
}

/** Org-wide installs are keyed by enterprise, the others by workspace, as Bolt looks them up. */
export function installationKey(query: InstallationQuery): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  throw new TypeError('an installation query needs a teamId, or an enterpriseId with isEnterpriseInstall');
}

type Row = Awaited<ReturnType<DbClient['slackInstallation']['findUniqueOrThrow']>>;

export function createInstallationRepository(prisma: DbClient, box: SecretBox): InstallationRepository {
  const toInstallation = (row: Row): SlackInstallation => {
    const secrets = box.openJson<SealedSecrets>(row.secretsEncrypted);
    return {
      teamId: row.teamId,
      teamName: row.teamName,
      enterpriseId: row.enterpriseId,
      enterpriseName: row.enterpriseName,
      isEnterpriseInstall: row.isEnterpriseInstall,
      appId: row.appId,
      bot: {
        id: row.botId,
        userId: row.botUserId,
        token: secrets.botToken,
        scopes: row.botScopes as string[],
        refreshToken: secrets.botRefreshToken,
        expiresAt: row.botTokenExpiresAt,
      },
      installer: {
        userId: row.installerUserId,
        token: secrets.userToken,
        scopes: row.installerScopes as string[],
        refreshToken: secrets.userRefreshToken,
      },
      installedAt: row.installedAt,
      updatedAt: row.updatedAt,
    };
  };

  return {
    async store(input) {
      const secrets: SealedSecrets = {
        botToken: input.bot.token,
        botRefreshToken: input.bot.refreshToken,
        userToken: input.installer.token,
        userRefreshToken: input.installer.refreshToken,
      };
      const data = {
        teamId: input.teamId,
        teamName: input.teamName,
        enterpriseId: input.enterpriseId,
        enterpriseName: input.enterpriseName,
        isEnterpriseInstall: input.isEnterpriseInstall,
        appId: input.appId,
        botId: input.bot.id,
        botUserId: input.bot.userId,
        botScopes: input.bot.scopes,
        botTokenExpiresAt: input.bot.expiresAt,
        installerUserId: input.installer.userId,
        installerScopes: input.installer.scopes,
        secretsEncrypted: box.sealJson(secrets),
      };
      const key = installationKey(input);
      const row = await prisma.slackInstallation.upsert({ where: { installationKey: key }, create: { installationKey: key, ...data }, update: data });
      return toInstallation(row);
    },

    async fetch(query) {
      const row = await prisma.slackInstallation.findUnique({ where: { installationKey: installationKey(query) } });
      return row ? toInstallation(row) : null;
    },

    async delete(query) {
      const { count } = await prisma.slackInstallation.deleteMany({ where: { installationKey: installationKey(query) } });
      return count > 0;
    },
  };
}
