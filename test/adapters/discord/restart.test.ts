/** Checklist progress on Discord outlives the process: a step ticked before a restart unticks when pressed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MessageFlags } from 'discord.js';
import { SqliteStore } from '../../../src/state/sqlite.js';
import { startHarness } from '../../support/discord-harness.js';
import { realIndex } from '../../support/kb.js';

const dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-discord-restart-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Callback {
  data?: { components?: { components?: { custom_id: string; label: string }[] }[] };
}

async function press(stepId: string): Promise<string | undefined> {
  const store = new SqliteStore(dir);
  const h = await startHarness({ store });
  try {
    const i = h.standin.pressButton(`sd:step:en:${stepId}`, { messageFlags: MessageFlags.Ephemeral });
    const [call] = await h.standin.waitFor('POST', new RegExp(`^/api/v10/interactions/${i.id}/${i.token}/callback$`));
    const buttons = ((call!.body as Callback).data?.components ?? []).flatMap((r) => r.components ?? []);
    return buttons.find((b) => b.custom_id === `sd:step:en:${stepId}`)?.label;
  } finally {
    await h.stop();
    await store.close();
  }
}

describe('Discord checklist across a restart', () => {
  test('ticked before, unticked by the next press after (not ticked again)', async () => {
    const step = realIndex().kb.checklist[2]!.id;
    expect((await press(step))?.startsWith('✅')).toBe(true);
    expect((await press(step))?.startsWith('⬜')).toBe(true);
  });
});
