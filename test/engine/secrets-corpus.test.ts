/**
 * test/fixtures/secrets.jsonl: realistic pastes carrying secrets (debug logs of every client, configs of every
 * language, URLs, webhooks, tokens, app passwords, Japanese and English prose), each with its secrets marked.
 * No secret may reach any output: the redacted text, `diagnose` (text and --json), `classify --jsonl`, the terminal
 * chat, Slack and Discord payloads through the stand-ins, and log lines at `trace`.
 */
import { readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../src/adapters/terminal/chat.js';
import { Bot } from '../../src/bot/core.js';
import { classifyCommand } from '../../src/cli/classify.js';
import { diagnoseCommand } from '../../src/cli/commands.js';
import { diagnose } from '../../src/engine/diagnose.js';
import { normalize } from '../../src/engine/normalize.js';
import { redact } from '../../src/engine/redact.js';
import { createLogger } from '../../src/log.js';
import { runCli } from '../support/cli.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from '../support/discord-harness.js';
import { IDS } from '../support/discord-standin.js';
import { realIndex } from '../support/kb.js';
import { nextTs } from '../support/slack-driver.js';
import { startHarness as startSlack, type SlackHarness } from '../support/slack-harness.js';

interface Case {
  text: string;
  secrets: string[];
  source: string;
}

const CASES: Case[] = readFileSync(new URL('../fixtures/secrets.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case);

/** The secrets of a case in every form they could come out in: as written and after NFKC (ＰＷ → PW). */
const forms = (c: Case): string[] => [...new Set(c.secrets.flatMap((s) => [s, s.normalize('NFKC')]))];

/** The secrets of any case found in `output`, named by the case they belong to. */
function leaks(output: string, cases: Case[] = CASES): string[] {
  const found: string[] = [];
  for (const c of cases) for (const s of forms(c)) if (output.includes(s)) found.push(`${JSON.stringify(s)} (${c.source})`);
  return found;
}

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

describe('the secrets corpus', () => {
  it('holds at least 100 cases, each with its secrets present in its text', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    for (const c of CASES) {
      expect(c.secrets.length, c.source).toBeGreaterThan(0);
      for (const s of c.secrets) expect(c.text, `${c.source}: the marked secret is in the text`).toContain(s);
    }
  });

  it('the redacted text (raw and as the engine normalises it) and the diagnosis keep no secret', () => {
    const index = realIndex();
    for (const c of CASES) {
      const d = diagnose(index, c.text);
      const outputs = [redact(c.text), redact(normalize(c.text).text), d.redacted, JSON.stringify({ ...d, entry: d.entry?.id })];
      for (const out of outputs) expect(leaks(out, [c]), c.source).toEqual([]);
    }
  });

  it('diagnose (text and --json, in process) keeps no secret, and --json carries the redacted text', async () => {
    const index = realIndex();
    for (const c of CASES) {
      for (const args of [[], ['--json']]) {
        const out = sink();
        const err = sink();
        // On stdin, as a paste would come: some pastes start with '-' and would read as options on the command line.
        const stdin = new PassThrough();
        stdin.end(c.text);
        await diagnoseCommand(index, args, { stdin, stdout: out.stream, stderr: err.stream });
        expect(leaks(out.text() + err.text(), [c]), `${c.source} ${args.join(' ')}`).toEqual([]);
        if (args.length > 0) expect((JSON.parse(out.text()) as { redacted: string }).redacted).toBe(diagnose(index, c.text).redacted);
      }
    }
  });

  it('diagnose --json as a whole process keeps no secret (a sample of every family)', async () => {
    const sample = CASES.filter((_, i) => i % 20 === 0);
    for (const c of sample) {
      const r = await runCli(['diagnose', '--json'], c.text);
      expect(r.code, r.stderr).toBe(0);
      expect(leaks(r.stdout + r.stderr, [c]), c.source).toEqual([]);
    }
  }, 180_000);

  it('classify --jsonl keeps no secret', async () => {
    const input = new PassThrough();
    const out = sink();
    input.end(`${CASES.map((c) => JSON.stringify({ text: c.text })).join('\n')}\n`);
    await classifyCommand(realIndex(), input, out.stream);
    expect(out.text().trim().split('\n')).toHaveLength(CASES.length);
    expect(leaks(out.text())).toEqual([]);
  });

  it('the terminal chat keeps no secret in what it prints or logs at trace', async () => {
    const logs = sink();
    const log = createLogger('trace', logs.stream);
    for (const c of CASES) {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = '';
      output.setEncoding('utf8').on('data', (d: string) => (printed += d));
      input.end(c.text);
      await runTerminalChat(new Bot(realIndex()), { input, output, interactive: false }, undefined, log);
      expect(leaks(printed, [c]), c.source).toEqual([]);
    }
    expect(leaks(logs.text())).toEqual([]);
  });

  it('log lines at trace keep no secret, whether the text is the message, a field, nested deep or an error', () => {
    const logs = sink();
    const log = createLogger('trace', logs.stream);
    for (const c of CASES) {
      log.trace(c.text);
      log.trace({ text: c.text }, 'a paste');
      log.debug({ a: { b: { c: { d: { e: { f: { text: c.text } } } } } } }, 'deep');
      log.error({ err: Object.assign(new Error(c.text), { response: c.text }) }, 'failed');
    }
    expect(logs.text().length).toBeGreaterThan(0);
    expect(leaks(logs.text())).toEqual([]);
  });
});

describe('the secrets corpus through the chat platforms', () => {
  let slack: SlackHarness;
  let discord: DiscordHarness;
  beforeAll(async () => {
    [slack, discord] = await Promise.all([startSlack(), startDiscord()]);
  });
  afterAll(async () => {
    await Promise.all([slack?.close(), discord?.stop()]);
  });

  it('Slack: every paste in a DM is answered, and no payload or log line holds a secret', async () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const c of CASES) {
      await slack.driver.event({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: escape(c.text), ts: nextTs(), event_ts: nextTs() });
    }
    await slack.standin.waitFor((calls) => calls.filter((x) => x.method === 'chat.postMessage').length >= CASES.length, 60_000);
    const sent = slack.standin.calls.map((x) => x.raw).join('\n');
    expect(leaks(sent)).toEqual([]);
    expect(leaks(slack.logs())).toEqual([]);
  }, 120_000);

  it('Discord: every paste in a DM is answered, and nothing sent or logged holds a secret', async () => {
    for (const c of CASES) discord.standin.sendMessage(c.text, { channelId: IDS.dm });
    await discord.standin.waitFor('POST', /\/channels\/\d+\/messages$/, CASES.length, 120_000);
    expect(leaks(discord.standin.everything())).toEqual([]);
    expect(leaks(discord.logs.join('\n'))).toEqual([]);
  }, 150_000);
});
