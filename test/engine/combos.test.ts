// Word combinations: a data feature of the engine, tested on a knowledge base of one entry made here.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { buildIndex } from '../../src/engine/index.js';
import type { KnowledgeBase } from '../../src/engine/types.js';
import { entrySchema } from '../../src/knowledge/schema.js';

const text = (s: string) => ({ ja: s, en: s });
const entry = entrySchema.parse({
  id: 'mailbox-full-test',
  category: 'mailbox-full',
  title: text('t'),
  summary: text('s'),
  causes: [text('c')],
  steps: [text('s')],
  probe: 'none',
  signals: { combos: [['メールボックス|受信箱', 'いっぱい|満杯|容量を超え']] },
  examples: ['x'],
});
const kb: KnowledgeBase = {
  entries: [{ ...entry, file: 'entries/mailbox-full-test.yaml' }],
  checklist: [],
  topics: [],
  ui: {},
  context: { clients: [], providers: [], recently: { ja: [], en: [] } },
  jaForms: { spellings: {}, endings: [] },
  model: null,
  providers: [],
  clients: [],
};
const index = buildIndex(kb);

describe('word combinations', () => {
  it('match when every part occurs, in any order and wording between', () => {
    for (const t of ['受信者のメールボックスがいっぱいのため配信できませんでした', '容量を超えたため、相手の受信箱に届きませんでした']) {
      const d = diagnose(index, t);
      expect(d.category, t).toBe('mailbox-full');
      expect(d.evidence[0]?.value).toMatch(/\+/);
    }
  });

  it('do not match with a part missing, or with the parts far apart', () => {
    expect(diagnose(index, 'メールボックスの設定を変えました').category).toBe('unknown');
    const far = `メールボックス${'あ'.repeat(200)}いっぱい`;
    expect(diagnose(index, far).category).toBe('unknown');
  });

  it('are validated: a combo needs two parts', () => {
    const bad = entrySchema.safeParse({ ...entry, signals: { combos: [['メールボックス']] } });
    expect(bad.success).toBe(false);
  });
});
