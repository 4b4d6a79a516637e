// Questions answered from knowledge/topics: the topics issue 10 asks for exist, fit a phone screen, name where their
// facts come from, point at the provider and app data instead of repeating it, and are found from their own phrases.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intentIndexOf, readTurn } from '../../src/engine/intent.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../src/knowledge/load.js';
import { realIndex } from '../support/kb.js';

const kb = loadKnowledge();
const index = intentIndexOf(realIndex());

const ASKED_FOR = ['smtp-ports', 'ssl-tls-starttls', 'smtp-auth', 'op25b', 'pop-before-smtp', 'app-passwords', 'find-settings', 'server-settings', 'webmail', 'spf-dkim-dmarc'];
const SETUP_KINDS: Record<string, string> = { 'app-password': 'app-password', 'two-step': 'two-step', 'enable-access': 'enable-access', 'enable-smtp-auth': 'enable-smtp-auth' };

describe('knowledge/topics', () => {
  it('has every topic issue 10 asks for', () => {
    const ids = kb.topics.map((t) => t.id);
    for (const id of ASKED_FOR) expect(ids, id).toContain(id);
  });

  it('keeps every body short enough for a phone screen (600 characters a language)', () => {
    for (const t of kb.topics) {
      expect(t.body.ja.length, `${t.id} (ja)`).toBeLessThanOrEqual(600);
      expect(t.body.en.length, `${t.id} (en)`).toBeLessThanOrEqual(600);
    }
  });

  it('gives the asked-for topics a reference for their facts, or leaves the facts to the provider and app data', () => {
    for (const t of kb.topics.filter((x) => ASKED_FOR.includes(x.id))) {
      const linked = (t.uses?.provider.length ?? 0) + (t.uses?.client.length ?? 0);
      expect((t.references?.length ?? 0) + linked, t.id).toBeGreaterThan(0);
    }
  });

  it('names RFCs by a URL that says which RFC the body cites', () => {
    for (const t of kb.topics) {
      for (const rfc of new Set([...t.body.en.matchAll(/RFC (\d{3,4})/g)].map((m) => m[1]))) {
        if (t.references && t.references.length > 0) expect(t.references, `${t.id} cites RFC ${rfc}`).toContain(`https://www.rfc-editor.org/rfc/rfc${rfc}`);
      }
    }
  });

  it('links only to provider facts some provider has, and app settings some app has a path or label for', () => {
    const setupKinds = new Set(kb.providers.flatMap((p) => p.setup.map((s) => s.kind)));
    const appSettings = new Set(kb.clients.flatMap((c) => [...c.paths.flatMap((p) => p.settings), ...c.labels.map((l) => l.setting)]));
    for (const t of kb.topics) {
      for (const fact of t.uses?.provider ?? []) {
        const has =
          fact in SETUP_KINDS
            ? setupKinds.has(SETUP_KINDS[fact] as never)
            : kb.providers.some((p) => (fact === 'smtp' ? p.smtp.length > 0 : fact === 'limits' ? p.limits.length > 0 : fact === 'help' ? p.help.length > 0 : p[fact as 'username' | 'op25b'] !== undefined));
        expect(has, `${t.id}: no provider has "${fact}"`).toBe(true);
      }
      for (const setting of t.uses?.client ?? []) expect(appSettings.has(setting), `${t.id}: no app has "${setting}"`).toBe(true);
    }
  });

  it("finds each topic from each of its own phrases, as a question", () => {
    const misses: string[] = [];
    for (const t of kb.topics.filter((x) => x.id !== 'send-trouble')) {
      for (const p of [...t.phrases.ja, ...t.phrases.en]) {
        const r = readTurn(index, p);
        if (r.intent !== 'question' || r.topic !== t.id) misses.push(`${t.id}: "${p}" → ${r.intent} ${r.topic}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('answers the setup questions of issue 10 with the right topic', () => {
    const asked: [string, string][] = [
      ['ポートは何番にすればいいですか？', 'smtp-ports'],
      ['465と587の違いは？', 'smtp-ports'],
      ['STARTTLSとSSL/TLSの違いは何ですか', 'ssl-tls-starttls'],
      ['SMTP認証って何', 'smtp-auth'],
      ['Gmailの送信サーバーの設定は？', 'server-settings'],
      ['What port should I use for SMTP?', 'smtp-ports'],
      ['POP before SMTPとは', 'pop-before-smtp'],
    ];
    for (const [text, topic] of asked) expect(readTurn(index, text), text).toMatchObject({ intent: 'question', topic });
  });
});

describe('knowledge/intents is validated at load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-intents-'));
  cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problemsWith = (file: string, body: string): string[] => {
    const path = join(dir, 'intents', file);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : null;
    writeFileSync(path, body);
    try {
      loadKnowledge(dir);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeError);
      return (err as KnowledgeError).problems;
    } finally {
      if (before === null) rmSync(path);
      else writeFileSync(path, before);
    }
  };

  it('names the file and the field of a wording without a source tag', () => {
    expect(problemsWith('next.yaml', 'intent: next\nwordings:\n  - source: somewhere\n    ja: [次は]\n')).toEqual([expect.stringMatching(/^intents\/next\.yaml: wordings\.0\.source: a source tag/)]);
  });

  it('rejects an unknown intent, a file named after another intent, and a topic that does not exist', () => {
    expect(problemsWith('x.yaml', 'intent: smalltalk\nwordings:\n  - source: "[written] x"\n    en: [hi]\n')[0]).toMatch(/^intents\/x\.yaml: intent: /);
    expect(problemsWith('x.yaml', 'intent: more\nwordings:\n  - source: "[written] x"\n    en: [tell me everything]\n')[0]).toMatch(/is not the file's name/);
    expect(problemsWith('question.yaml', 'intent: question\nwordings:\n  - source: "[written] x"\n    topic: no-such-topic\n    en: [what is it?]\n')[0]).toMatch(/wordings\.0\.topic: no topic "no-such-topic"/);
  });

  it('rejects a wording given to two intents', () => {
    const problems = problemsWith('zz-thanks.yaml', 'intent: thanks\nwordings:\n  - source: "[written] x"\n    ja: ["次は?"]\n');
    expect(problems.some((p) => /"次は\?" is also a wording of next/.test(p) || /is also a wording of thanks/.test(p))).toBe(true);
  });
});
