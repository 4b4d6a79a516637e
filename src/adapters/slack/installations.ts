/**
 * Slack installations (one per workspace, from the OAuth v2 install flow) in the bot's state store, so that every
 * instance sees them. The bot token is a secret: each installation is encrypted at rest with AES-256-GCM under
 * SLACK_INSTALL_KEY (node:crypto), so the store (a SQLite file, a Redis dump) never holds a token in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { StateStore } from '../../bot/state.js';
import { isJsonObject } from '../../bot/state.js';

const PREFIX = 'slack:installation:';

const keyOf = (q: { enterpriseId?: string | undefined; teamId?: string | undefined; isEnterpriseInstall?: boolean }): string => {
  const id = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!id) throw new Error('Slack installation query without a team or enterprise id');
  return `${PREFIX}${q.isEnterpriseInstall ? 'E' : 'T'}:${id}`;
};

export class EncryptedInstallationStore implements InstallationStore {
  constructor(
    private readonly store: StateStore,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('SLACK_INSTALL_KEY must be 32 bytes');
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const query = { enterpriseId: installation.enterprise?.id, teamId: installation.team?.id, isEnterpriseInstall: installation.isEnterpriseInstall === true };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(installation), 'utf8'), cipher.final()]);
    await this.store.set(keyOf(query), { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const stored = await this.store.get(keyOf(query));
    if (!isJsonObject(stored) || typeof stored.iv !== 'string' || typeof stored.tag !== 'string' || typeof stored.data !== 'string') {
      throw new Error('no Slack installation for this workspace (not installed, or uninstalled)');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(stored.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    const json = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(json) as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.delete(keyOf(query));
  }
}
