/** `app_uninstalled` (OAuth mode): the workspace removed the app, so its installation (and bot token) is deleted. */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import type { EncryptedInstallationStore } from '../installations.js';

export function registerAppUninstalled(app: App, ctx: SlackContext, installations: EncryptedInstallationStore): void {
  app.event('app_uninstalled', async ({ body }) => {
    const enterpriseId = body.enterprise_id ?? undefined;
    const isEnterpriseInstall = body.is_enterprise_install === true;
    await installations.deleteInstallation({ teamId: body.team_id, enterpriseId, isEnterpriseInstall });
    ctx.log.info({ team: body.team_id, enterprise: enterpriseId }, 'slack: uninstalled from a workspace; its installation was deleted');
  });
}
