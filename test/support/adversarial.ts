/**
 * Adversarial text shapes for the linear-time checks of every regular expression that sees user or server text:
 * long runs of every whitespace and format character after each keyword the engine looks for, long runs of one
 * letter, nested brackets and quotes. Used by the property tests (fast-check) and by bench/adversarial.ts.
 */
import fc from 'fast-check';

/** Words the engine's patterns start from: signals, redaction, the bot's commands, SMTP transcripts. */
export const KEYWORDS = [
  'port',
  'port number is',
  'ポート',
  'ポート番号',
  'パスワード',
  'パスワード：',
  'アプリパスワード',
  '暗証番号',
  'password',
  'password:',
  'my password is',
  'app password',
  'pass',
  'MAIL_PASS=',
  'pwd',
  'token',
  'secret',
  'api_key',
  'AUTH PLAIN',
  'AUTH LOGIN',
  '334',
  '334 VXNlcm5hbWU6',
  'C:',
  'S:',
  'CLIENT -> SERVER:',
  'send:',
  '->',
  '<~',
  'telnet',
  'nc -v',
  'in reply to',
  'command:',
  'E',
  'ERR_',
  'WSAE',
  'NS_ERROR_',
  '0x',
  'smtp://a:',
  'a:b',
  'x@',
  'a.com',
  "a.com',",
  '550',
  '550-5.7.1',
  '5.7.1',
  'lang',
  '言語',
  'Bearer',
  'hooks.slack.com/services/',
  'discord.com/api/webhooks/1234567',
  '-----BEGIN PRIVATE KEY-----',
  '-u',
  '--user',
  'PASS',
  'a001 LOGIN',
  'NetworkCredential(',
  'login(',
  'x',
  '[',
  '「',
  '"',
  "'",
  '<',
  '(',
  '\\"',
] as const;

/** Every whitespace and format character a paste can carry (NFKC keeps some, turns others into spaces). */
export const FILLERS = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u000b',
  '\u000c',
  '\u0085',
  '\u00a0',
  '\u00ad',
  '\u1680',
  '\u180e',
  '\u2000',
  '\u2003',
  '\u200a',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u2060',
  '\u3000',
  '\ufeff',
  ' \t',
  ', ',
  ': ',
  '= ',
] as const;

/** Characters whose long runs a pattern might take in two ways. */
export const LETTERS = ['a', 'A', 'x', '1', '0', '.', '-', '_', '=', '/', '+', ':', '@', 'ー', 'あ', 'ｱ', '５', 'Ａ'] as const;

/** Openers and quotes, nested: '(((', '[[[', '「「「', '"\'"\'' … */
export const NESTERS = ['(', '[', '{', '<', '「', '『', '（', '"', "'", '`', '“', '\\"', '<a ', '[x]', '"a":', "'a' => "] as const;

export type Shape = { kind: string; build: (size: number) => string };

function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.floor(size / unit.length)));
}

/** A keyword, then a long run of one filler, then a character that makes the pattern fail at the very end. */
export const keywordRun = fc.record({ keyword: fc.constantFrom(...KEYWORDS), filler: fc.constantFrom(...FILLERS), tail: fc.constantFrom('x', '', '!', 'a', '9') }).map(
  ({ keyword, filler, tail }): Shape => ({ kind: `${JSON.stringify(keyword)}+${JSON.stringify(filler)}*n+${JSON.stringify(tail)}`, build: (n) => keyword + repeatTo(filler, n) + tail }),
);

/** The keyword itself repeated, with a filler between: many starts, each with a run to scan. */
export const keywordRepeat = fc.record({ keyword: fc.constantFrom(...KEYWORDS), filler: fc.constantFrom(...FILLERS) }).map(
  ({ keyword, filler }): Shape => ({ kind: `(${JSON.stringify(keyword + filler)})*n`, build: (n) => repeatTo(keyword + filler, n) }),
);

export const letterRun = fc.record({ letter: fc.constantFrom(...LETTERS), prefix: fc.constantFrom('', 'E', 'x', '@', 'smtp://', 'パスワード'), tail: fc.constantFrom('', 'a', '@', ':', '!') }).map(
  ({ letter, prefix, tail }): Shape => ({ kind: `${JSON.stringify(prefix)}+${JSON.stringify(letter)}*n+${JSON.stringify(tail)}`, build: (n) => prefix + repeatTo(letter, n) + tail }),
);

export const nested = fc.record({ opener: fc.constantFrom(...NESTERS), closeAtEnd: fc.boolean() }).map(
  ({ opener, closeAtEnd }): Shape => ({
    kind: `${JSON.stringify(opener)}*n${closeAtEnd ? '+closers' : ''}`,
    build: (n) => {
      const half = repeatTo(opener, closeAtEnd ? n / 2 : n);
      return closeAtEnd ? half + [...half].reverse().join('').replace(/[([{<「『（]/g, (c) => ({ '(': ')', '[': ']', '{': '}', '<': '>', '「': '」', '『': '』', '（': '）' })[c] ?? c) : half;
    },
  }),
);

/** Any adversarial shape. */
export const anyShape = fc.oneof(keywordRun, keywordRepeat, letterRun, nested);

/** An ordinary log of the same size: what a real paste costs, the yardstick for every shape. */
export function ordinaryText(size: number): string {
  const lines = [
    'Jan 12 09:14:03 mail postfix/smtp[2211]: 4F2A1C: to=<bob@example.org>, relay=mx.example.org[203.0.113.5]:25, delay=1.2, status=deferred (host mx.example.org[203.0.113.5] said: 451 4.7.1 Try again later (in reply to RCPT TO command))',
    '2024-03-11 08:15:02 SERVER -> CLIENT: 535 5.7.8 Error: authentication failed: authentication failure',
    'Error: Invalid login: 535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials',
    'javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.com, port: 587; nested exception is: java.net.ConnectException: Connection timed out',
  ];
  let out = '';
  for (let i = 0; out.length < size; i++) out += `${lines[i % lines.length]}\n`;
  return out.slice(0, size);
}
