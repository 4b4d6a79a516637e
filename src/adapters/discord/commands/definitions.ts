/**
 * The slash commands as Discord registers them, in English with Japanese localizations (Discord shows the one
 * that matches the user's client language; the interaction still carries the English name).
 */
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  Locale,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { t } from '../../../engine/i18n.js';
import type { UiStrings } from '../../../engine/types.js';

export const COMMAND_NAMES = { diagnose: 'diagnose', checklist: 'checklist', probe: 'probe', check: 'check' } as const;

/** The message context-menu command (right-click a message → Apps): its name is what users see, in English. */
export const DIAGNOSE_MESSAGE_COMMAND = 'Diagnose this message';

export function commandDefinitions(ui: UiStrings): (RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody)[] {
  const en = (key: string): string => t(ui, `discord.command.${key}`, 'en');
  const ja = (key: string): Partial<Record<Locale, string>> => ({ [Locale.Japanese]: t(ui, `discord.command.${key}`, 'ja') });
  const base = (name: keyof typeof COMMAND_NAMES): SlashCommandBuilder =>
    new SlashCommandBuilder()
      .setName(COMMAND_NAMES[name])
      .setNameLocalizations(ja(`${name}.name`))
      .setDescription(en(`${name}.description`))
      .setDescriptionLocalizations(ja(`${name}.description`))
      .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
      .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);

  const diagnose = base('diagnose').addStringOption((o) =>
    o
      .setName(en('diagnose.text.name'))
      .setNameLocalizations(ja('diagnose.text.name'))
      .setDescription(en('diagnose.text.description'))
      .setDescriptionLocalizations(ja('diagnose.text.description'))
      .setRequired(true)
      .setMaxLength(6000),
  );
  const checklist = base('checklist').addStringOption((o) =>
    o
      .setName(en('checklist.lang.name'))
      .setNameLocalizations(ja('checklist.lang.name'))
      .setDescription(en('checklist.lang.description'))
      .setDescriptionLocalizations(ja('checklist.lang.description'))
      .addChoices(
        { name: t(ui, 'discord.lang.ja', 'en'), name_localizations: { [Locale.Japanese]: t(ui, 'discord.lang.ja', 'ja') }, value: 'ja' },
        { name: t(ui, 'discord.lang.en', 'en'), name_localizations: { [Locale.Japanese]: t(ui, 'discord.lang.en', 'ja') }, value: 'en' },
      ),
  );
  const probe = base('probe')
    .addStringOption((o) =>
      o
        .setName(en('probe.target.name'))
        .setNameLocalizations(ja('probe.target.name'))
        .setDescription(en('probe.target.description'))
        .setDescriptionLocalizations(ja('probe.target.description'))
        .setRequired(true)
        .setMaxLength(320),
    )
    .addIntegerOption((o) =>
      o
        .setName(en('probe.port.name'))
        .setNameLocalizations(ja('probe.port.name'))
        .setDescription(en('probe.port.description'))
        .setDescriptionLocalizations(ja('probe.port.description'))
        .setMinValue(1)
        .setMaxValue(65535),
    );
  const check = base('check')
    .addStringOption((o) =>
      o
        .setName(en('check.target.name'))
        .setNameLocalizations(ja('check.target.name'))
        .setDescription(en('check.target.description'))
        .setDescriptionLocalizations(ja('check.target.description'))
        .setRequired(true)
        .setMaxLength(320),
    )
    .addStringOption((o) =>
      o
        .setName(en('check.header.name'))
        .setNameLocalizations(ja('check.header.name'))
        .setDescription(en('check.header.description'))
        .setDescriptionLocalizations(ja('check.header.description'))
        .setMaxLength(6000),
    );
  // Someone else's pasted error can be diagnosed without copying it: right-click the message → Apps.
  const diagnoseMessage = new ContextMenuCommandBuilder()
    .setName(DIAGNOSE_MESSAGE_COMMAND)
    .setNameLocalizations(ja('diagnose-message.name'))
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  return [diagnose.toJSON(), checklist.toJSON(), probe.toJSON(), check.toJSON(), diagnoseMessage.toJSON()];
}
