import type { Lang, Text, UiStrings } from './types.js';

/** Picks the string for a language and fills `{name}` placeholders. A missing key is a bug, so it throws. */
export function t(ui: UiStrings, key: string, lang: Lang, vars: Record<string, string | number> = {}): string {
  const entry = ui[key];
  if (!entry) throw new Error(`missing UI string "${key}" (knowledge/ui)`);
  return fill(entry[lang], vars);
}

export function pick(text: Text, lang: Lang, vars: Record<string, string | number> = {}): string {
  return fill(text[lang], vars);
}

function fill(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
