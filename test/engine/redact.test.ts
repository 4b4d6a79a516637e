import { describe, expect, it } from 'vitest';
import { REDACTED, SECRET_FORMS, mapStrings, redact, withoutCredentials } from '../../src/engine/redact.js';

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
    ['the wiki token is Passw0rd!', 'Passw0rd!'],
    ['our API key is k3y_live_42', 'k3y_live_42'],
    ['client secret: s3cr3t-value', 's3cr3t-value'],
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

  it.each(SECRET_FORMS.map((f) => [f.id, f.example[0], f.example[1]] as const))('form %s removes the secret of its example', (_id, text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('every form is global, so that every occurrence goes', () => {
    for (const f of SECRET_FORMS) expect(f.re.flags, f.id).toContain('g');
  });

  it("keeps the words of ordinary errors that mention passwords, tokens and 334", () => {
    for (const text of [
      'javax.mail.AuthenticationFailedException: failed to connect, no password specified?',
      'wrong password 535 5.7.8 Authentication failed',
      'パスワードが 535 エラーで拒否されます',
      'Password authentication failed for user "postgres"',
      'my password is not accepted',
      'the token is expired, please log in again',
      'OAuth2 access token expired (invalid_grant)',
      'DKIM key is missing for selector s1',
      '250-AUTH LOGIN PLAIN CRAM-MD5',
      'reply: retcode (334); Msg: b\'UGFzc3dvcmQ6\'',
    ]) {
      expect(redact(text)).toBe(text);
    }
  });

  it('URL credentials: the password goes even with @ and / in it; a user name alone stays', () => {
    expect(redact('smtp://me:Secr3t@2024@smtp.example.com:587')).toBe(`smtp://me:${REDACTED}@smtp.example.com:587`);
    expect(redact('smtps://ses:AbC/dEf+GhI@jKl@email-smtp.example.com')).toBe(`smtps://ses:${REDACTED}@email-smtp.example.com`);
    expect(redact('smtp://me@smtp.example.com')).toBe('smtp://me@smtp.example.com');
  });

  it('answers to 334 in each client debug format, and the same transcript on one line', () => {
    const formats = [
      'SERVER -> CLIENT: 334 UGFzc3dvcmQ6\nCLIENT -> SERVER: c2VjcmV0MTIz',
      "reply: b'334 UGFzc3dvcmQ6\\r\\n'\nsend: 'c2VjcmV0MTIz\\r\\n'",
      '<~  334 UGFzc3dvcmQ6\n ~> c2VjcmV0MTIz',
      '-> "334 UGFzc3dvcmQ6\\r\\n"\n<- "c2VjcmV0MTIz\\r\\n"',
      '[2024-01-01 00:00:00] DEBUG [x] S: 334 UGFzc3dvcmQ6\n[2024-01-01 00:00:00] DEBUG [x] C: c2VjcmV0MTIz',
      'S: 334 UGFzc3dvcmQ6 C: c2VjcmV0MTIz S: 235 ok',
      '334 UGFzc3dvcmQ6 c2VjcmV0MTIz',
    ];
    for (const f of formats) expect(redact(f), f).not.toContain('c2VjcmV0MTIz');
  });

  it('withoutCredentials removes what the user typed, in the forms a server could echo it', () => {
    const creds = { user: 'me@example.com', pass: 'ModalSecret9!' };
    const plain = Buffer.from('\0me@example.com\0ModalSecret9!').toString('base64');
    const echoed = `535 5.7.8 credentials me@example.com:ModalSecret9! rejected (${Buffer.from('ModalSecret9!').toString('base64')}, ${plain})`;
    const out = withoutCredentials(echoed, creds);
    expect(out).not.toContain('ModalSecret9!');
    expect(out).not.toContain(plain);
    expect(out).not.toContain('me@example.com');
    expect(out).toContain('535 5.7.8');
  });

  it('mapStrings walks nested data', () => {
    expect(mapStrings({ a: ['x', { b: 'x' }], n: 1 }, (s) => s.toUpperCase())).toEqual({ a: ['X', { b: 'X' }], n: 1 });
  });
});
