import { mkdtempSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/engine/types.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../src/knowledge/load.js';
import { FIXTURES } from '../support/corpus.js';

describe('knowledge base', () => {
  const kb = loadKnowledge();

  it('matches the category contract (categories.json, copied from shared/eval)', () => {
    const contract = Object.keys((JSON.parse(readFileSync(`${FIXTURES}categories.json`, 'utf8')) as { categories: object }).categories);
    expect([...CATEGORY_IDS].sort()).toEqual(contract.sort());
  });

  it('has at least 40 entries and covers every category but unknown', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(kb.entries.map((e) => e.category));
    const missing = CATEGORY_IDS.filter((c) => c !== 'unknown' && !covered.has(c));
    expect(missing, `categories with no entry: ${missing.join(', ')}`).toEqual([]);
  });

  it('has every entry id the probe findings refer to', () => {
    const ids = new Set(kb.entries.map((e) => e.id));
    const wanted = [
      'offline', 'smtp-host-not-found', 'connection-refused', 'connection-timed-out', 'op25b-port-25-blocked', 'tls-wrong-mode',
      'greeting-never-received', 'starttls-not-supported', 'tls-certificate-invalid', 'smtp-auth-required', 'auth-bad-credentials',
      'auth-method-mismatch', 'recipient-domain-invalid', 'ip-no-reverse-dns',
    ];
    expect(wanted.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('has the source document checklist in its order', () => {
    expect(kb.checklist.length).toBeGreaterThanOrEqual(7);
    for (const step of kb.checklist) {
      expect(step.title.ja.length, step.id).toBeGreaterThan(0);
      expect(step.howto.en.length, step.id).toBeGreaterThan(20);
    }
  });

  it('writes every entry in both languages, with Japanese in the ja texts', () => {
    const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
    for (const e of kb.entries) {
      for (const text of [e.title, e.summary, ...e.causes, ...e.steps]) {
        expect(japanese.test(text.ja), `${e.file}: ja text without Japanese: ${text.ja}`).toBe(true);
        expect(japanese.test(text.en), `${e.file}: en text with Japanese: ${text.en}`).toBe(false);
      }
    }
  });

  it('names the file and the field of a broken entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    mkdirSync(join(dir, 'entries'), { recursive: true });
    writeFileSync(join(dir, 'entries', 'broken.yaml'), 'id: broken\ncategory: not-a-category\ntitle: { ja: x }\n');
    let error: unknown;
    try {
      loadKnowledge(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KnowledgeError);
    const message = (error as KnowledgeError).message;
    expect(message).toContain('entries/broken.yaml: category');
    expect(message).toContain('entries/broken.yaml: title.en');
  });

  it('names a told fact whose checklist step or entry does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    const file = join(dir, 'context.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n  - { id: broken-fact, words: { en: [my router] }, rulesOut: [no-such-step], entries: [no-such-entry] }\n`);
    expect(() => loadKnowledge(dir)).toThrow(/told\.\d+ \(broken-fact\): no checklist step "no-such-step"[\s\S]*no entry "no-such-entry"/);
  });

  it('reports YAML syntax errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'entries', 'zz-bad.yaml'), 'id: [unclosed\n');
    expect(() => loadKnowledge(dir)).toThrow(/entries\/zz-bad\.yaml: not valid YAML/);
  });
});
