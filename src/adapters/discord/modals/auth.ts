/**
 * The AUTH test modal's answer: the probe runs once with the credentials and the result is shown only to the
 * user. The credentials live in this call only: not logged, not stored, never in a message.
 */
import type { ModalSubmitInteraction } from 'discord.js';
import { REDACTED } from '../../../engine/redact.js';
import type { Lang } from '../../../engine/types.js';
import { AUTH_FIELDS } from '../buttons/auth-test.js';
import { EPHEMERAL, NO_PINGS, type DiscordContext } from '../context.js';
import { runProbeWithEdits } from '../probe-run.js';
import { replyEditor } from '../reply-edit.js';

/**
 * An error from the probe may quote what it was given (a server's reply echoing the user name, a library's message);
 * the logger's redaction only knows secret-shaped text, so the exact values are removed before the error travels on.
 */
function withoutSecrets(err: unknown, secrets: string[]): Error {
  const scrub = (s: string): string => secrets.filter((x) => x.length > 0).reduce((out, x) => out.split(x).join(REDACTED), s);
  const original = err instanceof Error ? err : new Error(String(err));
  const clean = new Error(scrub(original.message));
  clean.name = original.name;
  clean.stack = scrub(original.stack ?? clean.message);
  return clean;
}

export async function authModalSubmit(ctx: DiscordContext, interaction: ModalSubmitInteraction, lang: Lang, target: string): Promise<void> {
  await interaction.deferReply({ flags: EPHEMERAL });
  const user = interaction.fields.getTextInputValue(AUTH_FIELDS.user);
  const pass = interaction.fields.getTextInputValue(AUTH_FIELDS.pass);
  const request = { target, ports: [], lang, userId: interaction.user.id };
  try {
    const edit = replyEditor(ctx, interaction);
  await runProbeWithEdits(ctx, request, (m) => edit({ ...m, allowedMentions: NO_PINGS }), { user, pass });
  } catch (err) {
    throw withoutSecrets(err, [user, pass]);
  }
}
