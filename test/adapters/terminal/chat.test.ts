import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/adapters/terminal/chat.js';
import { Bot } from '../../../src/bot/core.js';
import type { ProbeRunner } from '../../../src/bot/probe-port.js';
import { createLogger } from '../../../src/log.js';
import { realIndex } from '../../support/kb.js';

const log = createLogger('silent');

function collect(stream: PassThrough): () => string {
  let out = '';
  stream.setEncoding('utf8').on('data', (d: string) => (out += d));
  return () => out;
}

describe('terminal chat', () => {
  it('answers a multi-line paste once, as one message', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = runTerminalChat(new Bot(realIndex()), { input, output, interactive: true }, undefined, log);
    input.write('Error: Invalid login: 535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials\n');
    await new Promise((r) => setTimeout(r, 150));
    input.end('/quit\n');
    await done;
    // The first answer is the short one: its first steps once, the rest on "more detail".
    expect(text().match(/## Try this first/g)).toHaveLength(1);
  });

  it('runs a probe request through the probe runner and prints its progress and report', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const requests: string[] = [];
    const probe: ProbeRunner = {
      async run(request, onProgress) {
        requests.push(request.target);
        onProgress?.({ kind: 'probe-progress', lang: request.lang, title: 'checking', summary: 'port 587: open', severity: 'info', sections: [], actions: [] });
        return { kind: 'probe', lang: request.lang, title: 'report done', summary: 'use 587', severity: 'ok', sections: [], actions: [] };
      },
    };
    const done = runTerminalChat(new Bot(realIndex()), { input, output, interactive: true }, probe, log);
    input.write('test smtp.example.com\n');
    await new Promise((r) => setTimeout(r, 150));
    input.end();
    await done;
    expect(requests).toEqual(['smtp.example.com']);
    expect(text()).toContain('port 587: open');
    expect(text()).toContain('report done');
  });

  it('reads piped input to its end and answers it as one message', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    input.end('0x800CCC0E\n');
    await runTerminalChat(new Bot(realIndex()), { input, output, interactive: false }, undefined, log);
    expect(text()).toContain('0x800CCC0E');
  });

  it('starts each session as a new conversation, though the state store outlives it', async () => {
    const bot = new Bot(realIndex());
    const session = async (paste: string): Promise<string> => {
      const input = new PassThrough();
      const output = new PassThrough();
      const text = collect(output);
      input.end(paste);
      await runTerminalChat(bot, { input, output, interactive: false }, undefined, log);
      return text();
    };
    // Yesterday's session was in Japanese; today's bare reply code is no follow-up of it.
    expect(await session('送信しようとすると「554 5.7.1 Relay access denied」と出て送れません\n')).toContain('中継');
    const today = await session('554 5.7.1 Relay access denied\n');
    expect(today).toContain('Try this first');
    expect(today).not.toContain('まず試すこと');
  });
});
