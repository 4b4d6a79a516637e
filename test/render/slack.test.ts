/** Reply → Block Kit: every Slack limit enforced, content cut cleanly with a note, fallback text always set. */
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { errorReply } from '../../src/bot/replies.js';
import type { Reply } from '../../src/render/model.js';
import {
  SLACK_LIMITS,
  cut,
  decodeActionValue,
  decodeAuthModalState,
  encodeActionValue,
  escapeMrkdwn,
  renderAuthModal,
  renderSlack,
  type SlackBlock,
} from '../../src/render/slack.js';
import { realIndex } from '../support/kb.js';

const ui = realIndex().kb.ui;
const chars = (s: string): number => Array.from(s).length;

interface AnyBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { type: string; text?: unknown; value?: string; action_id?: string }[];
  accessory?: { type: string; initial_options?: unknown[] };
}
const asAny = (blocks: SlackBlock[]): AnyBlock[] => blocks as unknown as AnyBlock[];

function expectLimits(blocks: SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  for (const b of asAny(blocks)) {
    if (b.type === 'header') expect(chars(b.text?.text ?? '')).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') expect(chars(b.text?.text ?? '')).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.type === 'context') for (const e of b.elements ?? []) expect(chars(String(e.text))).toBeLessThanOrEqual(SLACK_LIMITS.contextElementText);
    if (b.type === 'actions') {
      for (const e of b.elements ?? []) {
        expect(chars((e.text as { text: string }).text)).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect((e.value ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
      }
    }
  }
}

const base = (over: Partial<Reply> = {}): Reply => ({
  kind: 'diagnosis',
  lang: 'en',
  title: 'Relay denied',
  summary: 'The server refused to relay.',
  severity: 'error',
  confidence: 0.82,
  sections: [{ heading: 'Steps', style: 'steps', items: ['Turn on SMTP AUTH', 'Use port 587'] }],
  actions: [{ id: 'show-checklist', label: 'Show the checklist', value: 'relay-denied' }],
  ...over,
});

describe('renderSlack', () => {
  it('renders a real diagnosis: header with confidence, numbered steps, buttons last, fallback text', async () => {
    const bot = new Bot(realIndex());
    const outcome = await bot.handle({ text: 'Failed to connect to smtp.example.jp port 587: connection timed out', place: 'direct', addressed: false, userId: 'U', channelId: 'D' });
    if (outcome.type !== 'reply') throw new Error(`expected a reply, got ${outcome.type}`);
    const { text, blocks } = renderSlack(outcome.reply, ui);
    expectLimits(blocks);
    const list = asAny(blocks);
    expect(list[0]?.type).toBe('header');
    expect(list[0]?.text?.text).toMatch(/%\)$/);
    expect(list.at(-1)?.type).toBe('actions');
    expect(list.at(-1)?.elements?.map((e) => e.action_id)).toEqual(['run-probe', 'show-checklist']);
    expect(decodeActionValue(list.at(-1)?.elements?.[0]?.value)).toEqual({ value: 'smtp.example.jp', lang: 'en' });
    expect(text).toContain(outcome.reply.title);
    expect(JSON.stringify(blocks)).toContain('1. ');
  });

  it('cuts a huge reply to 50 blocks, with a note, keeping the footer and the buttons', async () => {
    const long = 'x'.repeat(2500);
    const reply = base({
      sections: Array.from({ length: 80 }, (_, i) => ({ heading: `Part ${i}`, style: 'bullets' as const, items: [long, long] })),
      footer: 'the footer',
    });
    const { blocks } = renderSlack(reply, ui);
    expectLimits(blocks);
    expect(blocks).toHaveLength(50);
    const list = asAny(blocks);
    expect(list.at(-1)?.type).toBe('actions');
    expect(JSON.stringify(list.at(-2))).toContain('the footer');
    expect(JSON.stringify(list.at(-3))).toContain("Part of this reply was left out to fit Slack's limits.");
  });

  it('splits a long section at line ends and hard-cuts only a single over-long line, with a note', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${'y'.repeat(200)}`);
    const { blocks } = renderSlack(base({ sections: [{ heading: 'Log', style: 'text', items: [...lines, 'z'.repeat(7000)] }] }), ui);
    expectLimits(blocks);
    const sections = asAny(blocks).filter((b) => b.type === 'section');
    // No line is broken across two sections.
    for (const s of sections) for (const l of (s.text?.text ?? '').split('\n')) if (l.startsWith('line')) expect(l).toMatch(/^line \d+ y{200}$/);
    expect(JSON.stringify(blocks)).toContain('z…');
    expect(JSON.stringify(blocks)).toContain("left out to fit Slack's limits");
  });

  it('keeps a short reply whole, with no note', async () => {
    const { blocks } = renderSlack(base(), ui);
    expect(JSON.stringify(blocks)).not.toContain('left out');
  });

  it('cuts the header to 150 characters without splitting an emoji, and says so', async () => {
    const { blocks } = renderSlack(base({ title: '📧'.repeat(400) }), ui);
    const header = asAny(blocks)[0]?.text?.text ?? '';
    expect(chars(header)).toBeLessThanOrEqual(150);
    expect(header.endsWith('📧…') || header.endsWith('…')).toBe(true);
    expect(header).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(JSON.stringify(blocks)).toContain('left out');
  });

  it('escapes &, < and > so pasted addresses show as typed and cannot mention anyone', async () => {
    const { blocks } = renderSlack(base({ summary: '<bob@example.com> & <!channel>' }), ui);
    expect(asAny(blocks)[1]?.text?.text).toBe('&lt;bob@example.com&gt; &amp; &lt;!channel&gt;');
  });

  it('always sets a fallback text, short and in one line', async () => {
    expect(renderSlack(base({ title: '', summary: '' }), ui).text.trim()).not.toBe('');
    const long = renderSlack(base({ summary: 'a\nb '.repeat(5000) }), ui).text;
    expect(chars(long)).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(long).not.toContain('\n');
    expect(renderSlack(errorReply(realIndex().kb, 'ja'), ui).text).toContain('申し訳ありません');
  });

  it('cuts a long button label and drops an over-long button value', async () => {
    const { blocks } = renderSlack(base({ actions: [{ id: 'run-probe', label: 'L'.repeat(200), value: 'h'.repeat(5000) }] }), ui);
    expectLimits(blocks);
    const button = asAny(blocks).at(-1)?.elements?.[0];
    expect(decodeActionValue(button?.value)).toEqual({ value: '', lang: 'en' });
  });

  it('renders the checklist as one checkbox per step in a DM, ticked where done, replacing the plain step list', async () => {
    const bot = new Bot(realIndex());
    const steps = bot.kb.checklist;
    await bot.toggleStep('U', steps[0]!.id, true, 'ja');
    const reply = await bot.checklist('U', 'ja');
    const { blocks } = renderSlack(reply, ui, { interactive: true });
    expectLimits(blocks);
    const boxes = asAny(blocks).filter((b) => b.accessory?.type === 'checkboxes');
    expect(boxes.map((b) => b.block_id)).toEqual(steps.map((s) => `step:ja:${s.id}`));
    expect(boxes[0]?.accessory?.initial_options).toHaveLength(1);
    expect(boxes[1]?.accessory?.initial_options).toBeUndefined();
    expect(boxes[2]?.text?.text).toContain(steps[2]!.howto.ja.slice(0, 30));
    // The steps are shown once (as checkboxes), not a second time as a list.
    expect(JSON.stringify(blocks).split(steps[3]!.title.ja).length - 1).toBe(1);
    expect(JSON.stringify(blocks)).toContain(`1 / ${steps.length}`);
  });

  it('renders the checklist without checkboxes outside a DM', async () => {
    const reply = await new Bot(realIndex()).checklist('U', 'en');
    const { blocks } = renderSlack(reply, ui);
    expect(JSON.stringify(blocks)).not.toContain('checkboxes');
    expect(JSON.stringify(blocks)).toContain(reply.checklist![0]!.title);
  });
});

describe('helpers', () => {
  it('cut never exceeds the limit and marks a cut', async () => {
    expect(cut('abc', 3)).toEqual({ text: 'abc', cut: false });
    expect(cut('abcd', 3)).toEqual({ text: 'ab…', cut: true });
  });

  it('escapeMrkdwn escapes only the three control characters', async () => {
    expect(escapeMrkdwn('a<b>&*c*')).toBe('a&lt;b&gt;&amp;*c*');
  });

  it('action values round-trip and garbage decodes to nothing', async () => {
    expect(decodeActionValue(encodeActionValue({ value: 'smtp.example.jp', lang: 'ja' }))).toEqual({ value: 'smtp.example.jp', lang: 'ja' });
    expect(decodeActionValue('not json')).toBeUndefined();
    expect(decodeActionValue(undefined)).toBeUndefined();
  });
});

describe('renderAuthModal', () => {
  it('asks for user name and password within Slack limits, and carries only where to answer', async () => {
    const view = renderAuthModal(ui, { target: 'smtp.example.jp', lang: 'ja', channel: 'C1', threadTs: '1.2' });
    expect(chars(view.title.text)).toBeLessThanOrEqual(24);
    expect(chars(view.submit?.text ?? '')).toBeLessThanOrEqual(24);
    expect(decodeAuthModalState(view.private_metadata)).toEqual({ target: 'smtp.example.jp', lang: 'ja', channel: 'C1', threadTs: '1.2' });
    const inputs = (view.blocks as unknown as { type: string; block_id?: string; hint?: { text: string } }[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(['user', 'pass']);
    expect(inputs[1]?.hint?.text).toContain('伏せ字');
    expect(decodeAuthModalState('{"broken"')).toBeUndefined();
  });
});
