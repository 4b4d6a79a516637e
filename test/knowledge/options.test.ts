// knowledge/options.yaml: the settings "I can't find that option" is answered about (src/bot/talk.ts notFoundReply).
import { describe, expect, it } from 'vitest';
import { optionNamed } from '../../src/bot/talk.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

const kb = loadKnowledge();
const options = kb.options ?? [];

describe('options.yaml', () => {
  it('names each option once, in both languages, with words in both', () => {
    expect(options.length).toBeGreaterThan(0);
    expect(new Set(options.map((o) => o.id)).size).toBe(options.length);
    for (const o of options) {
      expect(o.names.ja && o.names.en, o.id).toBeTruthy();
      expect(o.words.ja.length * o.words.en.length, o.id).toBeGreaterThan(0);
    }
  });

  it("says where each is: a provider's setup facts of its kinds, or the app's settings", () => {
    for (const o of options) {
      const byProvider = o.providerFacts.length > 0 && kb.providers.some((p) => p.setup.some((s) => o.providerFacts.includes(s.kind)));
      expect(byProvider || o.clientSettings.length > 0, o.id).toBe(true);
    }
  });

  it('finds the option a turn names, in either language; a provider-only one only for that provider', () => {
    expect(optionNamed(kb, 'アプリパスワードの項目が見当たりません', undefined)?.id).toBe('app-password');
    expect(optionNamed(kb, "there's no App passwords option", 'gmail')?.id).toBe('app-password');
    expect(optionNamed(kb, "I can't find Authenticated SMTP", 'microsoft')?.id).toBe('m365-authenticated-smtp');
    expect(optionNamed(kb, "I can't find Authenticated SMTP", 'gmail')?.id).not.toBe('m365-authenticated-smtp');
    expect(optionNamed(kb, 'SMTP認証のチェックが見つからない', undefined)?.id).toBe('outgoing-authentication');
    expect(optionNamed(kb, 'ポート番号を変える場所がない', undefined)?.id).toBe('mail-settings');
  });
});
