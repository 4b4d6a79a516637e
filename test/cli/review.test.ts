/** `smtp-doctor review` on the deployment's SQLite store: list, show, label, export in the corpus format. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { runCli } from '../support/cli.js';
import { realIndex } from '../support/kb.js';

let dir: string;
let disputed: string;
let unknown: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-review-'));
  // What a running bot leaves behind: a disputed diagnosis (with the user's pick) and an addressed message it did not understand.
  const store = new SqliteStore(dir);
  const bot = new Bot(realIndex(), { store });
  const out = await bot.handle({ text: '550 5.7.1 Relay access denied, password: Tr0ub4dor&3', place: 'direct', addressed: true, userId: 'U1', channelId: 'D1', platform: 'slack' });
  if (out.type !== 'reply') throw new Error('expected a diagnosis');
  disputed = out.reply.actions.find((a) => a.id === 'feedback-down')!.value;
  await bot.feedback.vote(disputed, 'down');
  await bot.feedback.label(disputed, 'sender-rejected', 'user');
  await bot.handle({ text: 'メールがふにゃふにゃする', place: 'direct', addressed: true, userId: 'U2', channelId: 'D2', platform: 'discord' });
  unknown = (await bot.feedback.list()).find((i) => i.kind === 'unknown')!.id;
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const review = (...args: string[]) => runCli(['review', ...args], '', { DATA_DIR: dir });

describe('smtp-doctor review', () => {
  it('lists what was kept, redacted, with the bot\'s answer and the user\'s pick', async () => {
    const run = await review();
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.startsWith(disputed))).toMatch(/disputed bot:relay-denied user:sender-rejected \(unlabelled\) {2}\[en\] 550 5\.7\.1 Relay access denied/);
    expect(lines.find((l) => l.startsWith(unknown))).toMatch(/unknown {2}bot:unknown \(unlabelled\) {2}\[ja\] メールがふにゃふにゃする/);
    expect(run.stdout).not.toContain('Tr0ub4dor');
    expect(run.stderr).toContain('2 items, 2 unlabelled');
  });

  it('labels items, refuses a made-up category or id with a clear line, and exports only labelled ones as corpus lines', async () => {
    expect((await review('export')).stdout).toBe('');
    const bad = await review('label', disputed, 'relay-ish');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^smtp-doctor: review label: "relay-ish" is not a category; use one of: offline, .*, none\n$/);
    expect((await review('label', 'nope', 'none')).stderr).toMatch(/no item "nope"/);
    expect((await review('label', disputed, 'relay-denied')).code).toBe(0);
    expect((await review('label', unknown, 'none')).code).toBe(0);
    const run = await review('export');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual({ text: expect.stringMatching(/^550 5\.7\.1 Relay access denied/), accept: ['relay-denied'], lang: 'en', source: '[feedback] disputed: the bot said relay-denied (slack)' });
    expect(lines).toContainEqual({ text: 'メールがふにゃふにゃする', accept: ['unknown'], lang: 'ja', source: '[feedback] unknown to the bot (discord)' });
    expect(run.stdout).not.toContain('Tr0ub4dor');
    const show = await review('show', disputed);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: disputed, label: 'relay-denied', userLabel: 'sender-rejected' });
  });
});
