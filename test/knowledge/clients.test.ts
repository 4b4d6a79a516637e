import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/engine/facts.js';
import type { Text } from '../../src/engine/types.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../src/knowledge/load.js';

const kb = loadKnowledge();
const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

type AnyFact = Fact<string> | Fact<string[]> | Fact<Text>;

function facts(): { file: string; fact: AnyFact }[] {
  return kb.clients.flatMap((c) => {
    const all: (AnyFact | undefined)[] = [...c.help, ...c.notes, ...c.paths.flatMap((p) => [p.ja, p.en]), ...c.labels.flatMap((l) => [l.ja, l.en])];
    return all.filter((f): f is AnyFact => f !== undefined).map((fact) => ({ file: c.file, fact }));
  });
}

describe('mail clients as data', () => {
  it('has the apps the issue names', () => {
    const ids = new Set(kb.clients.map((c) => c.id));
    const wanted = ['outlook-classic', 'outlook-new', 'outlook-mac', 'outlook-mobile', 'thunderbird', 'ios-mail', 'macos-mail', 'gmail-app',
      'windows-live-mail', 'becky'];
    expect(wanted.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('gives menu paths in both languages across the apps, each step list in its own language', () => {
    const paths = kb.clients.flatMap((c) => c.paths.map((p) => ({ file: c.file, p })));
    expect(paths.filter(({ p }) => p.ja).length).toBeGreaterThanOrEqual(8);
    expect(paths.filter(({ p }) => p.en).length).toBeGreaterThanOrEqual(6);
    for (const { file, p } of paths) {
      if (p.ja) expect(p.ja.value.some((step) => japanese.test(step)), `${file}: ja path without Japanese`).toBe(true);
      if (p.en) expect(p.en.value.some((step) => japanese.test(step)), `${file}: en path with Japanese`).toBe(false);
    }
  });

  it('writes every note in both languages, Japanese in ja only', () => {
    for (const { file, fact } of facts()) {
      const texts = [fact.note, ...(typeof fact.value === 'object' && !Array.isArray(fact.value) ? [fact.value] : [])];
      for (const t of texts) {
        if (!t) continue;
        expect(japanese.test(t.ja), `${file}: ja text without Japanese: ${t.ja}`).toBe(true);
        expect(japanese.test(t.en), `${file}: en text with Japanese: ${t.en}`).toBe(false);
      }
    }
  });

  it('rejects a menu path without a source or a date, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-clients-'));
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, 'clients', 'broken.yaml'),
      `id: broken-app
names: { ja: 壊れたアプリ, en: Broken app }
platforms: [windows]
detect: { words: [broken app] }
examples: [broken app で送れない, broken app fails]
paths:
  - settings: [outgoing-server]
    ja: { value: [設定, 送信サーバー], checked: 2026-12-07 }
    en: { value: [Settings, Outgoing server], source: https://example.com/help }
  - settings: [port]
`,
    );
    let message = '';
    try {
      loadKnowledge(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeError);
      message = (err as KnowledgeError).message;
    }
    expect(message).toContain('clients/broken.yaml: paths.0.ja.source: every fact needs "source"');
    expect(message).toContain('clients/broken.yaml: paths.0.en.checked: every fact needs "checked"');
    expect(message).toContain('clients/broken.yaml: paths.1: a menu path needs its steps in at least one language');
  });
});
