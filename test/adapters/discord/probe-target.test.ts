/**
 * Probe targets carrying credentials in Discord: the real probe service refuses them before sending anything, and
 * nothing the bot sends to Discord or logs shows the password.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createProbeService } from '../../../src/bot/probe-service.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';
import { IDS } from '../../support/discord-standin.js';
import { realIndex } from '../../support/kb.js';

const SECRET = 'CmdSecret1';
let h: Harness;

beforeAll(async () => {
  const probe = createProbeService(
    { allowCidrs: [], ports: [587], extraAllowedPorts: [], connectTimeoutMs: 200, greetingTimeoutMs: 200, totalTimeoutMs: 1000, ratePerMinute: 50, maxConcurrent: 4, egress25Blocked: false },
    realIndex().kb.ui,
  );
  h = await startHarness({ probe, progressIntervalMs: 20 });
});
afterAll(async () => {
  await h?.stop();
});

async function settle(path: RegExp, count: number): Promise<void> {
  await h.standin.waitFor('PATCH', path, count);
  await sleep(100);
}

describe('a probe target with credentials in Discord', () => {
  test('/probe shows and logs no password', async () => {
    h.standin.slashCommand('probe', [{ name: 'target', type: 'string', value: `smtp://me:${SECRET}@smtp.example.com:587` }]);
    await settle(/\/webhooks\/\d+\/[^/]+\/messages\/@original$/, 1);
    expect(h.standin.everything()).not.toContain(SECRET);
    expect(h.logs.join('\n')).not.toContain(SECRET);
  });

  test('"test user:pw@host" in a DM, with or without a scheme: no message shows the password', async () => {
    h.standin.sendMessage(`test smtp://me:${SECRET}@smtp.example.com:587`, { channelId: IDS.dm });
    h.standin.sendMessage(`test me:${SECRET}@smtp.example.com`, { channelId: IDS.dm });
    await h.standin.waitFor('POST', new RegExp(`/channels/${IDS.dm}/messages$`), 2);
    await sleep(300);
    expect(h.standin.everything()).not.toContain(SECRET);
    expect(h.logs.join('\n')).not.toContain(SECRET);
  });
});
