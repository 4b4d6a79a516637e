/** `classify --jsonl` handed a whole bounce as text reads what its failed recipient's server said. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fixture } from '../support/files.js';

describe('classify --jsonl on a whole bounce', () => {
  it('answers by the failed recipient’s words, not by the rest of the message', async () => {
    // The quoted original talks about attachments; the server said the message was too large.
    const lines = [fixture('bounce-exim.eml'), fixture('bounce-iso2022jp.eml')].map((b) => JSON.stringify({ text: b.toString('utf8') }));
    const { code, stdout } = await runCli(['classify', '--jsonl'], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    const [exim, dsn] = stdout.trim().split('\n').map((l) => JSON.parse(l) as { category: string; respond: boolean });
    expect(exim?.category).toBe('message-too-large');
    expect(exim?.respond).toBe(true);
    expect(['recipient-unknown', 'mailbox-full']).toContain(dsn?.category);
  });
});
