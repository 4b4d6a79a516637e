/**
 * `npm run discord:register`: puts the slash commands on Discord — in one guild when DISCORD_GUILD_ID is set
 * (visible at once, for testing), else globally (Discord may take a while to show them everywhere).
 * Registration replaces the whole set, so running it again is safe.
 */
import { REST, Routes, type APIApplication, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { DiscordConfig } from '../../config.js';
import { loadKnowledge } from '../../knowledge/load.js';
import type { Logger } from '../../log.js';
import { commandDefinitions } from './commands/definitions.js';

export async function registerCommands(config: DiscordConfig, log: Logger): Promise<number> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const appId = config.appId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const body = commandDefinitions(loadKnowledge().ui);
  const route = config.guildId ? Routes.applicationGuildCommands(appId, config.guildId) : Routes.applicationCommands(appId);
  const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  log.info({ count: result.length, scope: config.guildId ? `guild ${config.guildId}` : 'global' }, 'discord: slash commands registered');
  return result.length;
}
