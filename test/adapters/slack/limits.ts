/** Checks a chat.postMessage / chat.update / respond body against Slack's Block Kit limits. */
import { expect } from 'vitest';
import type { StandinCall } from '../../support/slack-standin.js';

interface Block {
  type: string;
  text?: { type: string; text: string };
  elements?: { type: string; text?: string | { text: string } }[];
}

export function expectWithinSlackLimits(call: StandinCall): Block[] {
  const { text, blocks } = call.body as { text?: unknown; blocks?: Block[] };
  expect(typeof text === 'string' && text.trim().length > 0, 'fallback text set').toBe(true);
  const list = blocks ?? [];
  expect(list.length).toBeLessThanOrEqual(50);
  for (const b of list) {
    if (b.type === 'header') expect(Array.from(b.text?.text ?? '').length).toBeLessThanOrEqual(150);
    if (b.type === 'section' && b.text) expect(Array.from(b.text.text).length).toBeLessThanOrEqual(3000);
  }
  return list;
}

/** Everything a user would read in a message: fallback text and every text in the blocks. */
export function visibleText(call: StandinCall): string {
  return JSON.stringify(call.body);
}
