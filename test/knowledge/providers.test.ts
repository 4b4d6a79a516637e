import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/engine/facts.js';
import type { Text } from '../../src/engine/types.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../src/knowledge/load.js';

const kb = loadKnowledge();
const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

function loadBroken(folder: string, name: string, body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-facts-'));
  cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
  writeFileSync(join(dir, folder, name), body);
  try {
    loadKnowledge(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeError);
    return (err as KnowledgeError).message;
  }
  throw new Error(`${folder}/${name} loaded although it is broken`);
}

const BROKEN_PROVIDER = `id: broken-isp
kind: isp
region: jp
names: { ja: 壊れた ISP, en: Broken ISP }
detect: { words: [broken isp] }
examples: [broken isp のメール, broken isp mail]
help:
  - { value: https://example.jp/help, source: https://example.jp/help, checked: 2026-12-07 }
smtp:
  - value: { host: smtp.example.jp, port: 587, security: starttls }
    checked: 2026-12-07
  - value: { host: smtp.example.jp, port: 465, security: ssl }
    source: https://example.jp/help
op25b:
  value: { ja: 25 番ポートを遮断しています, en: Port 25 is blocked }
  source: https://example.jp/help
  checked: 2026-13-45
`;

describe('providers as data', () => {
  it('has at least 25 providers, Japanese and international', () => {
    expect(kb.providers.length).toBeGreaterThanOrEqual(25);
    expect(kb.providers.filter((p) => p.region === 'jp').length).toBeGreaterThanOrEqual(10);
    expect(kb.providers.filter((p) => p.region === 'global').length).toBeGreaterThanOrEqual(5);
  });

  it('has the providers the issue names', () => {
    const ids = new Set(kb.providers.map((p) => p.id));
    const wanted = ['gmail', 'microsoft', 'icloud', 'yahoo-japan', 'yahoo-mail', 'docomo', 'au', 'softbank', 'ocn', 'biglobe', 'so-net',
      'nifty', 'plala', 'eo', 'jcom', 'xserver', 'sakura', 'lolipop', 'conoha-wing', 'onamae', 'kagoya', 'amazon-ses', 'sendgrid',
      'mailgun', 'postmark'];
    expect(wanted.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('gives every Japanese provider a Japanese help page', () => {
    const without = kb.providers.filter((p) => p.region === 'jp' && !p.help.some((h) => h.lang === 'ja')).map((p) => p.file);
    expect(without).toEqual([]);
  });

  it('writes every fact that needs words in both languages, Japanese in ja only', () => {
    for (const p of kb.providers) {
      const texts: Fact<Text>[] = [...p.setup, ...p.limits, ...p.notes, ...(p.username ? [p.username] : []), ...(p.op25b ? [p.op25b] : [])];
      const notes = [...texts, ...p.smtp, ...p.help].flatMap((f) => (f.note ? [f.note] : []));
      for (const t of [...texts.map((f) => f.value), ...notes]) {
        expect(japanese.test(t.ja), `${p.file}: ja text without Japanese: ${t.ja}`).toBe(true);
        expect(japanese.test(t.en), `${p.file}: en text with Japanese: ${t.en}`).toBe(false);
      }
    }
  });

  it('rejects a fact without a source or a date, naming the file and the field', () => {
    const message = loadBroken('providers', 'broken.yaml', BROKEN_PROVIDER);
    expect(message).toContain('providers/broken.yaml: smtp.0.source: every fact needs "source"');
    expect(message).toContain('providers/broken.yaml: smtp.1.checked: every fact needs "checked"');
    expect(message).toContain('providers/broken.yaml: op25b.checked: checked is not a real date');
  });

  it('rejects a help page that is not a URL', () => {
    const message = loadBroken('providers', 'broken.yaml', BROKEN_PROVIDER.replace('source: https://example.jp/help, checked', 'source: OCN のサイト, checked'));
    expect(message).toContain('providers/broken.yaml: help.0.source: source must be an http(s) URL');
  });
});
