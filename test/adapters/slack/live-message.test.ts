/** The live probe message: edits spaced out, only the newest progress sent, the final report always last. */
import { describe, expect, it } from 'vitest';
import type { SlackClient, SlackContext } from '../../../src/adapters/slack/context.js';
import { Dedupe } from '../../../src/adapters/slack/dedupe.js';
import { LiveMessage } from '../../../src/adapters/slack/live-message.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { Metrics } from '../../../src/ops/metrics.js';
import type { Reply } from '../../../src/render/model.js';
import { realIndex } from '../../support/kb.js';

const reply = (title: string): Reply => ({ kind: 'probe-progress', lang: 'en', title, summary: '', severity: 'info', sections: [], actions: [] });

function setup(intervalMs: number, failUpdates = false) {
  const edits: { text: string; at: number }[] = [];
  // Only chat.update is used by LiveMessage; a two-method object stands in for the WebClient.
  const client = {
    chat: {
      update: async (args: { text: string }) => {
        edits.push({ text: args.text, at: Date.now() });
        await new Promise((r) => setTimeout(r, 5));
        if (failUpdates) throw Object.assign(new Error('An API error occurred: message_not_found'), { data: { error: 'message_not_found' } });
        return { ok: true };
      },
    },
  } as unknown as SlackClient;
  const bot = new Bot(realIndex());
  const ctx: SlackContext = {
    bot,
    probe: undefined,
    log: createLogger('silent'),
    seen: new Dedupe(bot.store),
    metrics: new Metrics(),
    progressIntervalMs: intervalMs,
    files: { token: 'xoxb-unused', hosts: [], plainHttpHosts: [] },
  };
  return { edits, live: new LiveMessage(ctx, client, { channel: 'C1', ts: '1.1' }) };
}

describe('LiveMessage', () => {
  it('sends at most one edit per interval, the newest state, and the final report last', async () => {
    const { edits, live } = setup(100);
    for (let i = 1; i <= 12; i++) {
      live.progress(reply(`step ${i}`));
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await live.finish(reply('final'))).toBe(true);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(5);
    expect(edits.at(-1)?.text).toContain('final');
    for (let i = 1; i < edits.length - 1; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(90);
    // Later progress never follows the final report.
    live.progress(reply('late'));
    await new Promise((r) => setTimeout(r, 150));
    expect(edits.at(-1)?.text).toContain('final');
  });

  it('reports a refused final edit so that the caller can post the report anew', async () => {
    const { live } = setup(10, true);
    expect(await live.finish(reply('final'))).toBe(false);
  });
});
