/** `tokens_revoked` (OAuth mode): a revoked bot token makes the installation useless, so it is deleted. */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import type { EncryptedInstallationStore } from '../installations.js';

export function registerTokensRevoked(app: App, ctx: SlackContext, installations: EncryptedInstallationStore): void {
  app.event('tokens_revoked', async ({ event, body }) => {
    // User tokens are not used: only a revoked bot token ends the installation.
    if ((event.tokens.bot ?? []).length === 0) return;
    const enterpriseId = body.enterprise_id ?? undefined;
    await installations.deleteInstallation({ teamId: body.team_id, enterpriseId, isEnterpriseInstall: body.is_enterprise_install === true });
    ctx.log.info({ team: body.team_id, enterprise: enterpriseId }, 'slack: the bot token was revoked; the installation was deleted');
  });
}
