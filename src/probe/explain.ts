/**
 * The raw names a probe reports — its steps (`greeting`, `tls`) and the error codes of Node, OpenSSL and DNS
 * (`ECONNRESET`, `DEPTH_ZERO_SELF_SIGNED_CERT`) — said in the user's language (knowledge/ui/probe.yaml:
 * probe.phase.*, probe.code.*). The raw code stays beside its explanation: it is what a user or an admin searches for.
 */
import { t } from '../engine/i18n.js';
import type { Lang, UiStrings } from '../engine/types.js';

type Vars = Record<string, string | number>;

/** `vars` with `phase` and `code` replaced by what they mean, where the strings know them. */
export function explained(ui: UiStrings, lang: Lang, vars: Vars): Vars {
  const out = { ...vars };
  if (typeof vars.phase === 'string') {
    const key = `probe.phase.${vars.phase.toLowerCase()}`;
    if (ui[key]) out.phase = t(ui, key, lang);
  }
  if (typeof vars.code === 'string' && vars.code !== '') out.code = codeText(ui, lang, vars.code);
  return out;
}

export function codeText(ui: UiStrings, lang: Lang, code: string): string {
  const reply = /^REPLY_(\d{3})$/.exec(code);
  if (reply) return t(ui, 'probe.code.reply', lang, { reply: reply[1] ?? '' });
  const key = `probe.code.${code.toLowerCase()}`;
  return ui[key] ? `${t(ui, key, lang)}: ${code}` : code;
}
