/** A path given in the terminal chat is read and answered like a shared file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/adapters/terminal/chat.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { FIXTURE_DIR } from '../../support/files.js';
import { realIndex } from '../../support/kb.js';

async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.setEncoding('utf8').on('data', (d: string) => (out += d));
  const done = runTerminalChat(new Bot(realIndex()), { input, output, interactive: true }, undefined, createLogger('silent'));
  for (const line of lines) {
    input.write(`${line}\n`);
    await new Promise((r) => setTimeout(r, 150));
  }
  input.end('/quit\n');
  await done;
  return out;
}

describe('terminal chat: files', () => {
  it('answers a bounce named by its path, quoted as a terminal drop gives it', async () => {
    const path = new URL('bounce-iso2022jp.eml', FIXTURE_DIR).pathname;
    const out = await chat([`'${path}'`]);
    expect(out).toContain('2 of 3 recipients failed');
    expect(out).toContain('taro@example.jp');
  });

  it('reads a path with escaped spaces, and leaves text that only looks like a path alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd chat-'));
    const file = join(dir, 'send error.txt');
    writeFileSync(file, 'Error: Invalid login: 535-5.7.8 Username and Password not accepted.');
    const out = await chat([file.replace(/ /g, '\\ '), '/no/such/file.txt']);
    expect(out).toMatch(/Wrong user name or password/);
    // Not a file: the words are answered as words (here the model's faint guess gets the checklist's first step).
    expect(out).not.toContain("couldn't fetch the file");
    expect(out).toMatch(/Let's find out why mail won't send|I help with e-mail sending problems/);
  });
});
