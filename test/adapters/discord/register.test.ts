/** `npm run discord:register` against the stand-in: the commands, their Japanese localizations, guild or global. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApplicationCommandOptionType, ApplicationCommandType, Locale } from 'discord.js';
import { registerCommands } from '../../../src/adapters/discord/register.js';
import { createLogger } from '../../../src/log.js';
import { DiscordStandin, IDS } from '../../support/discord-standin.js';

interface Option {
  name: string;
  type: number;
  description: string;
  name_localizations?: Record<string, string>;
  required?: boolean;
}
interface Command {
  name: string;
  description: string;
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
  options?: Option[];
}

let standin: DiscordStandin;
const log = createLogger('silent');
beforeAll(async () => {
  standin = await new DiscordStandin().start();
});
afterAll(async () => {
  await standin?.close();
});

test('with a guild id: registered in that guild, four slash commands and a message command, with Japanese names and descriptions', async () => {
  const count = await registerCommands({ token: 'fake-token', appId: IDS.app, guildId: IDS.guild, channels: [], apiUrl: standin.apiUrl }, log);
  expect(count).toBe(5);
  const [put] = await standin.waitFor('PUT', /\/commands$/);
  expect(put?.path).toBe(`/api/v10/applications/${IDS.app}/guilds/${IDS.guild}/commands`);
  expect(put?.authorization).toBe('Bot fake-token');
  const all = put?.body as (Command & { type?: number })[];
  expect(all.map((c) => c.name)).toEqual(['diagnose', 'checklist', 'probe', 'check', 'Diagnose this message']);
  // The message command (type 3) has a display name and no description, as Discord wants for context menus.
  const menu = all.find((c) => c.type === ApplicationCommandType.Message);
  expect(menu?.name_localizations?.[Locale.Japanese]).toBe('このメッセージを診断');
  const commands = all.filter((c) => c.type !== ApplicationCommandType.Message);
  for (const c of commands) {
    expect(c.name_localizations?.[Locale.Japanese]).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(c.description_localizations?.[Locale.Japanese]).toBeTruthy();
    // Discord's rules: lower-case names of 1-32 characters, descriptions of at most 100.
    for (const item of [c, ...(c.options ?? [])]) {
      expect(item.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(item.description.length).toBeLessThanOrEqual(100);
      for (const n of Object.values(item.name_localizations ?? {})) expect(n.length).toBeLessThanOrEqual(32);
    }
  }
  const diagnose = commands.find((c) => c.name === 'diagnose');
  expect(diagnose?.options?.[0]).toMatchObject({ name: 'text', type: ApplicationCommandOptionType.String, required: true });
  const probe = commands.find((c) => c.name === 'probe');
  expect(probe?.options?.map((o) => [o.name, o.type])).toEqual([
    ['target', ApplicationCommandOptionType.String],
    ['port', ApplicationCommandOptionType.Integer],
  ]);
  const check = commands.find((c) => c.name === 'check');
  expect(check?.options?.map((o) => [o.name, o.type, o.required ?? false])).toEqual([
    ['target', ApplicationCommandOptionType.String, true],
    ['header', ApplicationCommandOptionType.String, false],
  ]);
});

test('without a guild or application id: the id is looked up, and the commands are registered globally', async () => {
  const before = standin.find('PUT', /\/commands$/).length;
  const count = await registerCommands({ token: 'fake-token', channels: [], apiUrl: standin.apiUrl }, log);
  expect(count).toBe(5);
  expect(standin.find('GET', /^\/api\/v10\/applications\/@me$/)).toHaveLength(1);
  const put = standin.find('PUT', /\/commands$/)[before];
  expect(put?.path).toBe(`/api/v10/applications/${IDS.app}/commands`);
});
