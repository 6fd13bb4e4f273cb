// Bolt's InstallationStore over the installations repository (src/db), so OAuth installs land in
// the database with their tokens encrypted, and every request authorises from there.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { InstallationQuery as StoredQuery, SlackInstallation, SlackInstallationInput } from '../support/records.ts';

export interface InstallationRecords {
  store(installation: SlackInstallationInput): Promise<unknown>;
  fetch(query: StoredQuery): Promise<SlackInstallation | null>;
  delete(query: StoredQuery): Promise<boolean>;
}

export class InstallationNotFoundError extends Error {
  readonly code = 'slack_installation_not_found';
}

function toStoredQuery(query: InstallationQuery<boolean>): StoredQuery {
  return { teamId: query.teamId ?? null, enterpriseId: query.enterpriseId ?? null, isEnterpriseInstall: query.isEnterpriseInstall };
}

export function toInstallationInput(installation: Installation): SlackInstallationInput {
  if (!installation.bot) throw new Error('The installation has no bot token: add bot scopes to the app (manifest.yml) and install again.');
  return {
    teamId: installation.team?.id ?? null,
    teamName: installation.team?.name ?? null,
    enterpriseId: installation.enterprise?.id ?? null,
    enterpriseName: installation.enterprise?.name ?? null,
    isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
    appId: installation.appId ?? null,
    bot: {
      id: installation.bot.id ?? null,
      userId: installation.bot.userId,
      token: installation.bot.token,
      scopes: installation.bot.scopes ?? [],
      refreshToken: installation.bot.refreshToken ?? null,
      // Slack gives seconds since the epoch.
      expiresAt: installation.bot.expiresAt ? new Date(installation.bot.expiresAt * 1000) : null,
    },
    installer: {
      userId: installation.user.id,
      token: installation.user.token ?? null,
      scopes: installation.user.scopes ?? [],
      refreshToken: installation.user.refreshToken ?? null,
    },
  };
}

export function toBoltInstallation(stored: SlackInstallation): Installation {
  return {
    team: stored.teamId ? { id: stored.teamId, ...(stored.teamName ? { name: stored.teamName } : {}) } : undefined,
    enterprise: stored.enterpriseId ? { id: stored.enterpriseId, ...(stored.enterpriseName ? { name: stored.enterpriseName } : {}) } : undefined,
    isEnterpriseInstall: stored.isEnterpriseInstall,
    ...(stored.appId ? { appId: stored.appId } : {}),
    authVersion: 'v2',
    tokenType: 'bot',
    bot: {
      token: stored.bot.token,
      scopes: stored.bot.scopes,
      id: stored.bot.id ?? '',
      userId: stored.bot.userId,
      ...(stored.bot.refreshToken ? { refreshToken: stored.bot.refreshToken } : {}),
      ...(stored.bot.expiresAt ? { expiresAt: Math.floor(stored.bot.expiresAt.getTime() / 1000) } : {}),
    },
    user: {
      id: stored.installer.userId,
      token: stored.installer.token ?? undefined,
      scopes: stored.installer.scopes,
      ...(stored.installer.refreshToken ? { refreshToken: stored.installer.refreshToken } : {}),
    },
  } as Installation;
}

export function createInstallationStore(records: InstallationRecords): InstallationStore {
  return {
    async storeInstallation(installation) {
      await records.store(toInstallationInput(installation));
    },
    async fetchInstallation(query) {
      const stored = await records.fetch(toStoredQuery(query));
      if (!stored) throw new InstallationNotFoundError(`No installation for ${query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `team ${query.teamId}`}`);
      return toBoltInstallation(stored);
    },
    async deleteInstallation(query) {
      await records.delete(toStoredQuery(query));
    },
  };
}
