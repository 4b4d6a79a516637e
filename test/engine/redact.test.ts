import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../src/engine/redact.js';

describe('redact', () => {
  const cases: [string, string][] = [
    ['C: AUTH PLAIN AGZvbwBzZWNyZXQ=', 'AGZvbwBzZWNyZXQ='],
    ['AUTH LOGIN dGFybw==', 'dGFybw=='],
    ['S: 334 VXNlcm5hbWU6\nC: dGFyb0BleGFtcGxlLmpw\nS: 334 UGFzc3dvcmQ6\nC: c2VjcmV0MTIz', 'c2VjcmV0MTIz'],
    ["auth: { user: 'me@example.com', pass: 'hunter2' }", 'hunter2'],
    ['SMTP_PASSWORD=abc123', 'abc123'],
    ['"password": "p@ss w0rd"', 'p@ss w0rd'],
    ['パスワードは abcd1234 です', 'abcd1234'],
    ['パスワード：Xy9kLm2', 'Xy9kLm2'],
    ['smtp://me:s3cret@smtp.example.com:587', 's3cret'],
    ['token xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij'],
    ['SLACK_APP_TOKEN xapp-1-A0000-123-abcdef', 'xapp-1-A0000-123-abcdef'],
    ['Authorization: Bearer ya29.a0AfH6SMBxyz123', 'ya29.a0AfH6SMBxyz123'],
    ['my password is Passw0rd!', 'Passw0rd!'],
    ['SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123', 'SG.abcdefghijklmnopqrstuv'],
  ];
  it.each(cases)('removes the secret from %j', (input, secret) => {
    const out = redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('keeps Japanese error wording about passwords', () => {
    for (const text of ['パスワードを確認してください', '平文のパスワードを許可していません', 'info@example.jp のパスワードを取得できなかったため']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('keeps what a diagnosis needs', () => {
    const text = "535 5.7.8 Username and Password not accepted\nError: Invalid login: 535-5.7.8\n334 VXNlcm5hbWU6";
    expect(redact(text)).toBe(text);
  });
});
