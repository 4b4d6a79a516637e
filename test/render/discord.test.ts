import { describe, expect, test } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { checklistReply, errorReply, helpReply } from '../../src/bot/replies.js';
import type { Reply } from '../../src/render/model.js';
import {
  cutText,
  DISCORD_LIMITS as L,
  encodeCustomId,
  fitContent,
  parseCustomId,
  renderDiscord,
  type DiscordMessage,
} from '../../src/render/discord.js';
import { realIndex } from '../support/kb.js';

const kb = realIndex().kb;
const ui = kb.ui;

/** Everything Discord checks before accepting a message. */
function expectWithinLimits(m: DiscordMessage): void {
  expect(m.content.length).toBeLessThanOrEqual(L.content);
  expect(m.embeds.length).toBeLessThanOrEqual(10);
  for (const e of m.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(L.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(L.description);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(L.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(L.fieldName);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.value.length).toBeLessThanOrEqual(L.fieldValue);
    }
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(L.footer);
    const total = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(L.embedTotal);
  }
  expect(m.components.length).toBeLessThanOrEqual(L.rows);
  const ids = new Set<string>();
  for (const row of m.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    for (const c of row.components) {
      const b = c as { custom_id: string; label: string };
      expect(b.label.length).toBeLessThanOrEqual(L.buttonLabel);
      expect(b.custom_id.length).toBeLessThanOrEqual(L.customId);
      expect(ids.has(b.custom_id)).toBe(false);
      ids.add(b.custom_id);
    }
  }
}

const base = (over: Partial<Reply> = {}): Reply => ({
  kind: 'diagnosis',
  lang: 'en',
  title: 'Relay access denied',
  summary: 'The server does not know you.',
  severity: 'error',
  confidence: 0.82,
  sections: [
    { heading: 'Likely causes', style: 'bullets', items: ['auth is off', 'wrong server'] },
    { heading: 'How to fix it', style: 'steps', items: ['turn auth on', 'use port 587'] },
  ],
  actions: [
    { id: 'run-probe', label: 'Run the suggested test', value: 'smtp.example.com' },
    { id: 'show-checklist', label: 'Show the checklist', value: 'relay-denied' },
  ],
  ...over,
});

describe('an ordinary reply', () => {
  test('one embed: severity icon and colour, summary, a field per section, confidence in the footer, buttons for actions', async () => {
    const m = renderDiscord(base(), ui);
    const e = m.embeds[0];
    expect(e?.title).toBe('❌ Relay access denied');
    expect(e?.color).toBe(0xe74c3c);
    expect(e?.description).toBe('The server does not know you.');
    expect(e?.fields).toEqual([
      { name: 'Likely causes', value: '• auth is off\n• wrong server' },
      { name: 'How to fix it', value: '1. turn auth on\n2. use port 587' },
    ]);
    expect(e?.footer?.text).toBe('confidence 82%');
    const buttons = m.components.flatMap((r) => r.components) as { custom_id: string; label: string; style: number }[];
    expect(buttons.map((b) => [b.custom_id, b.label])).toEqual([
      ['sd:run-probe:en:smtp.example.com', 'Run the suggested test'],
      ['sd:show-checklist:en:relay-denied', 'Show the checklist'],
    ]);
    expectWithinLimits(m);
  });

  test('buttons can be left out (progress messages)', async () => {
    expect(renderDiscord(base(), ui, { buttons: false }).components).toEqual([]);
  });

  test('a code section keeps its fence closed even when cut', async () => {
    const m = renderDiscord(base({ sections: [{ heading: 'Log', style: 'code', items: ['x'.repeat(3000)] }] }), ui);
    const value = m.embeds[0]?.fields?.[0]?.value ?? '';
    expect(value.startsWith('```\n')).toBe(true);
    expect(value.endsWith('\n```')).toBe(true);
    expect(value).toContain("shortened to fit Discord's limits");
    expectWithinLimits(m);
  });
});

describe('limits', () => {
  test('an enormous reply is cut to fit every embed limit, and says so', async () => {
    const huge = base({
      title: 'T'.repeat(400),
      summary: 'word '.repeat(2000),
      footer: 'f'.repeat(3000),
      sections: Array.from({ length: 40 }, (_, i) => ({
        heading: `H${i} ${'h'.repeat(300)}`,
        style: 'bullets' as const,
        items: Array.from({ length: 30 }, (_, j) => `item ${j} ${'y'.repeat(200)}`),
      })),
    });
    const m = renderDiscord(huge, ui);
    expectWithinLimits(m);
    const e = m.embeds[0];
    expect(e?.title?.endsWith('…')).toBe(true);
    expect(e?.footer?.text).toMatch(/left out|shortened/);
    // The start of the reply survives: the summary comes first.
    expect(e?.description?.startsWith('word word')).toBe(true);
  });

  test('a section longer than one field continues in further fields instead of being dropped', async () => {
    const items = Array.from({ length: 12 }, (_, i) => `step ${i} ${'z'.repeat(150)}`);
    const m = renderDiscord(base({ sections: [{ heading: 'Steps', style: 'steps', items }] }), ui);
    const fields = m.embeds[0]?.fields ?? [];
    expect(fields.length).toBeGreaterThan(1);
    expect(fields[0]?.name).toBe('Steps');
    expect(fields.map((f) => f.value).join('\n')).toContain('12. step 11');
    expectWithinLimits(m);
  });

  test('more than 25 sections: the first 25 fields are kept and the footer counts the rest', async () => {
    const sections = Array.from({ length: 30 }, (_, i) => ({ heading: `S${i}`, style: 'text' as const, items: ['short'] }));
    const m = renderDiscord(base({ sections, confidence: undefined }), ui);
    expect(m.embeds[0]?.fields).toHaveLength(25);
    expect(m.embeds[0]?.fields?.[24]?.name).toBe('S24');
    expect(m.embeds[0]?.footer?.text).toBe("5 more sections left out to fit Discord's limits.");
  });

  test('the cut note follows the reply\'s language', () => {
    const m = renderDiscord(base({ lang: 'ja', summary: 'あ'.repeat(5000) }), ui);
    expect(m.embeds[0]?.description).toContain('Discord の文字数制限のため省略しました');
    expectWithinLimits(m);
  });

  test('too many buttons: at most 5 a row and 5 rows', async () => {
    const checklist = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, title: `Step ${i} ${'x'.repeat(100)}`, howto: 'do it', done: i % 2 === 0 }));
    const m = renderDiscord(base({ kind: 'checklist', checklist, sections: [] }), ui);
    expect(m.components).toHaveLength(5);
    expectWithinLimits(m);
  });

  test('a button whose value would make its id too long is left out, not sent broken', async () => {
    const m = renderDiscord(base({ actions: [{ id: 'run-probe', label: 'Run', value: 'a'.repeat(120) }] }), ui);
    expect(m.components).toEqual([]);
  });
});

describe('cutting text', () => {
  test('cuts at a line break when one is near, and ends with the note', async () => {
    const text = `${'a'.repeat(80)}\n${'b'.repeat(80)}`;
    expect(cutText(text, 100, ' [cut]')).toBe(`${'a'.repeat(80)} [cut]`);
  });

  test('never leaves half of a surrogate pair', async () => {
    const out = cutText('😀'.repeat(100), 51, '…');
    expect(out.length).toBeLessThanOrEqual(51);
    expect(out).toBe(`${'😀'.repeat(25)}…`);
  });

  test('short text is left alone; content is cut to 2,000 characters', async () => {
    expect(cutText('hello', 10, '…')).toBe('hello');
    const content = fitContent('x'.repeat(5000), ui, 'en');
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.endsWith("… (shortened to fit Discord's limits)")).toBe(true);
  });
});

describe('custom ids', () => {
  test('round-trip, and anything else is not ours', async () => {
    const id = encodeCustomId({ kind: 'step', lang: 'ja', value: 'server-name' });
    expect(id).toBe('sd:step:ja:server-name');
    expect(parseCustomId(id ?? '')).toEqual({ kind: 'step', lang: 'ja', value: 'server-name' });
    expect(parseCustomId('sd:auth-modal:en:smtp.example.com:587')).toEqual({ kind: 'auth-modal', lang: 'en', value: 'smtp.example.com:587' });
    expect(parseCustomId('other-bot:thing')).toBeUndefined();
    expect(parseCustomId('sd:step:fr:x')).toBeUndefined();
  });
});

describe('the real replies', () => {
  test('the checklist shows check marks (not the steps twice) and one toggle button per step', async () => {
    const done = new Set([kb.checklist[0]?.id ?? '']);
    const m = renderDiscord(checklistReply(kb, 'en', { done }), ui);
    const e = m.embeds[0];
    expect(e?.description).toContain(`✅ **1. ${kb.checklist[0]?.title.en}**`);
    expect(e?.description).toContain(`⬜ **2. ${kb.checklist[1]?.title.en}**`);
    expect(e?.fields ?? []).toHaveLength(0);
    const buttons = m.components.flatMap((r) => r.components) as { custom_id: string; label: string }[];
    expect(buttons).toHaveLength(kb.checklist.length);
    expect(buttons[0]?.label.startsWith('✅ 1.')).toBe(true);
    expectWithinLimits(m);
  });

  test('every diagnosis, help, error and checklist reply in both languages fits', async () => {
    const bot = new Bot(realIndex());
    const pastes = [
      '550 5.7.1 Relay access denied',
      '535 5.7.8 Authentication credentials invalid',
      'getaddrinfo ENOTFOUND smtp.example.com',
      'connect ECONNREFUSED 203.0.113.5:587',
      'Connection timed out (port 25)',
      'The connection to the server was interrupted. 0x800CCC0F',
      '送信サーバーに接続できません。エラー番号: 0x800CCC0E',
      '552 5.3.4 Message size exceeds fixed limit',
    ];
    const replies: Reply[] = [];
    for (const text of pastes) {
      const o = await bot.handle({ text, place: 'direct', addressed: true, userId: 'u', channelId: 'c' });
      if (o.type === 'reply') replies.push(o.reply);
    }
    expect(replies.length).toBeGreaterThanOrEqual(pastes.length - 1);
    for (const lang of ['ja', 'en'] as const) replies.push(helpReply(kb, lang), errorReply(kb, lang), checklistReply(kb, lang));
    for (const r of replies) expectWithinLimits(renderDiscord(r, ui));
  });
});
