/** The logger's own censor: credential keys at any depth, secret-shaped strings at any depth, cycles. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture() {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { log: createLogger('trace', stream), text: () => out };
}

describe('createLogger', () => {
  it('censors credential keys wherever they are: transport.options.auth.pass, smtpPassword, botToken', () => {
    const { log, text } = capture();
    log.error({ transport: { options: { host: 'smtp.example.com', auth: { user: 'me', pass: 'OptionsPw-1' } } } }, 'send failed');
    log.info({ config: { smtpPassword: 'CamelPw-2', nested: { slack: { botToken: 'plain-token-3' } } } }, 'config');
    log.info({ user: { credentials: ['a', 'CredPw-4'] } }, 'list');
    const out = text();
    for (const s of ['OptionsPw-1', 'CamelPw-2', 'plain-token-3', 'CredPw-4']) expect(out).not.toContain(s);
    expect(out).toContain('smtp.example.com');
  });

  it('redacts secret-shaped strings at any depth, not only the first four levels', () => {
    const { log, text } = capture();
    let deep: Record<string, unknown> = { text: "pass: 'DeepSecret-5'" };
    for (let i = 0; i < 12; i++) deep = { level: deep };
    log.debug(deep, 'deep');
    expect(text()).toContain('level');
    expect(text()).not.toContain('DeepSecret-5');
  });

  it('survives cycles and keeps the rest of the line', () => {
    const { log, text } = capture();
    const a: Record<string, unknown> = { name: 'loop' };
    a.self = a;
    log.info({ a }, 'cyclic');
    expect(text()).toContain('"name":"loop"');
    expect(text()).toContain('cyclic');
  });
});
