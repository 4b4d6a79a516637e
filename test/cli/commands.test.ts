import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('smtp-doctor diagnose / checklist / start', () => {
  it('diagnoses an argument in the language of the text', async () => {
    const { code, stdout } = await runCli(['diagnose', 'メッセージの送信 SMTP メールサーバーに接続できません。']);
    expect(code).toBe(0);
    expect(stdout).toContain('## 対処方法');
    expect(stdout).toMatch(/587/);
  });

  it('diagnoses stdin, and --lang overrides the language', async () => {
    const { code, stdout } = await runCli(['diagnose', '--lang', 'en'], '送信 (SMTP) サーバー smtp.example.jp の認証に失敗しました。');
    expect(code).toBe(0);
    expect(stdout).toContain('## How to fix it');
  });

  it('prints the diagnosis as JSON with --json', async () => {
    const { stdout } = await runCli(['diagnose', '--json', 'Error: connect ECONNREFUSED 192.0.2.5:587']);
    const d = JSON.parse(stdout) as { category: string; signals: { errorCodes: string[]; ports: number[] } };
    expect(d.category).toBe('smtp-unreachable');
    expect(d.signals.errorCodes).toContain('ECONNREFUSED');
    expect(d.signals.ports).toContain(587);
  });

  it('never repeats a pasted password or AUTH line', async () => {
    const secret = 'c2VjcmV0LXBhc3N3b3JkLTEyMw==';
    const { stdout, stderr } = await runCli(['diagnose'], `C: AUTH PLAIN ${secret}\nS: 535 5.7.8 Authentication credentials invalid\npassword: Tr0ub4dor&3`);
    expect(stdout).toContain('5.7.8');
    for (const out of [stdout, stderr]) {
      expect(out).not.toContain(secret);
      expect(out).not.toContain('Tr0ub4dor&3');
    }
  });

  it('explains bad usage without a stack trace', async () => {
    for (const args of [['diagnose', '--lang', 'fr', 'x'], ['diagnose', '--nope'], ['frobnicate']]) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^smtp-doctor: /);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('prints the checklist in the order of the source document', async () => {
    const { stdout } = await runCli(['checklist', '--lang', 'ja']);
    const network = stdout.indexOf('インターネット');
    const port = stdout.indexOf('587');
    const provider = stdout.lastIndexOf('プロバイダー');
    expect(network).toBeGreaterThan(-1);
    expect(port).toBeGreaterThan(network);
    expect(provider).toBeGreaterThan(port);
  });

  it('npm start with no tokens is the terminal chat: answers piped input and exits at its end', async () => {
    const { code, stdout, stderr } = await runCli(['start'], '0x800CCC0E\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/0x800CCC0E|SMTP/i);
    expect(stdout).toContain('587');
  });

  it('a malformed setting stops the start with a message naming it', async () => {
    const { code, stderr } = await runCli(['start'], '', { SLACK_BOT_TOKEN: 'not-a-token', PROBE_RATE_PER_MINUTE: 'many' });
    expect(code).toBe(1);
    expect(stderr).toContain('SLACK_BOT_TOKEN');
    expect(stderr).toContain('PROBE_RATE_PER_MINUTE');
    expect(stderr).not.toContain('not-a-token');
  });
});
