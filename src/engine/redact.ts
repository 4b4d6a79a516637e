/**
 * Removes secrets from text before anything is stored, logged, matched or echoed. Runs first in the pipeline,
 * so every later stage (and every reply that quotes evidence) only ever sees the redacted form.
 *
 * The secret forms are a data table (SECRET_FORMS): each names what it catches and an example the tests hold it to.
 * Two forms need more than a pattern and are short procedures: credentials in URLs (a password may hold '@' and '/')
 * and the client's answers to "334" challenges in SMTP transcripts, whatever the client's debug format.
 *
 * Every pattern runs in linear time on any input: each starts at a literal or a short bounded run, every quantifier
 * over characters that the next part could also take is bounded, and no pattern looks back further than one
 * character. test/engine/regex-linear.test.ts holds them to it with adversarial shapes.
 */

import { Automaton } from './automaton.js';

export const REDACTED = '[REDACTED]';

export interface SecretForm {
  id: string;
  /** What it catches, and where such text comes from. */
  what: string;
  /**
   * Global pattern. With a group named `keep`, that group is kept (a key name, a prefix) and the rest of the
   * match is replaced; without one, the whole match is.
   */
  re: RegExp;
  /** A text with a secret, and the secret, that the tests check this form removes. */
  example: [text: string, secret: string];
  /** Lower-case strings one of which every match contains: without any, the pattern is not run at all. */
  hints?: string[];
}

/**
 * Key names that say "the value is a secret", as config files, code and env files spell them (case-insensitive). Each
 * holds 'pass', 'secret', 'token' or 'key': the hints of the forms built on it.
 */
const LONG_KEY = String.raw`(?:password|passwd|passphrase|passcode|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key)`;
/** `pass`, `PASS`, `MAIL_PASS`, `smtpPass`, `auth_pass` — but not "compass", "passed" or "bypassing". */
const PASS_KEY = String.raw`(?:(?<![A-Za-z])[Pp]ass|PASS|(?<=[a-z])Pass|(?<![A-Za-z])(?:[Pp][Ww][Dd]?|PWD?))(?![a-z])`;
/** What may follow the key word inside the key name (`_access_key`; no '.', so `password_controller.rb:12` is a file), then closing quotes. */
const KEY_TAIL = String.raw`[A-Za-z0-9_-]{0,40}(?:\\?["'\]]){0,2}`;
const SEP = String.raw`[ \t]{0,8}(?:=>|:=|::|=|:|：|＝)[ \t]{0,8}`;

/**
 * A value after a key: quoted in any of the ways code and configs quote (JSON with escapes, a JSON string inside a
 * JSON string, single quotes, backticks, Japanese brackets), a Gmail app password in its four groups, or a bare run.
 */
const VALUE = [
  // {\"password\":\"p\\\"w\"} — a JSON document inside a JSON string: ends at the \" followed by , } ] or the end.
  String.raw`\\"[^\n]{0,512}?\\"(?=[ \t]{0,8}(?:[,}\]);\n]|\\[nrt]|$))`,
  String.raw`"(?:[^"\\\n]|\\.){0,512}"`,
  String.raw`'(?:[^'\\\n]|\\.){0,512}'`,
  '`[^`\\n]{0,512}`',
  '「[^」\\n]{1,128}」',
  '『[^』\\n]{1,128}』',
  '“[^”\\n]{1,128}”',
  String.raw`[a-z]{4}[ -][a-z]{4}[ -][a-z]{4}[ -][a-z]{4}(?![A-Za-z0-9])`,
  String.raw`[^\s,;}<>"'\])&]{1,512}`,
].join('|');

/** A bare value in prose only counts when it looks made up: a digit or a symbol in it (not "is", "not", "wrong"). */
const PROSE_VALUE = [
  '"[^"\\n]{1,128}"',
  "'[^'\\n]{1,128}'",
  '「[^」\\n]{1,128}」',
  '『[^』\\n]{1,128}』',
  '“[^”\\n]{1,128}”',
  String.raw`[a-z]{4}[ -][a-z]{4}[ -][a-z]{4}[ -][a-z]{4}(?![A-Za-z0-9])`,
  String.raw`(?![2-5]\d\d(?![0-9A-Za-z])|\d\.\d|\d{1,5}(?![^\s,;.]))(?=[^\s]{0,128}[0-9#$%^&*@_+=~])[^\s,;。、」]{3,128}`,
].join('|');

const JA_KEY = '(?:アプリ ?パスワード|パスワード|ﾊﾟｽﾜｰﾄﾞ|パスコード|暗証番号|PW|ＰＷ)';
const JA_SEP = '[ \\t\u3000]{0,8}(?:[:：=＝]|は|が|を|に|も|って|、)?[ \\t\u3000]{0,8}';
const JA_VALUE = ['「[^」\\n]{1,128}」', '『[^』\\n]{1,128}』', '"[^"\\n]{1,128}"', "'[^'\\n]{1,128}'", '（[^）\\n]{1,128}）', '\\([^)\\n]{1,128}\\)', '(?![2-5]\\d\\d(?![0-9A-Za-z])|\\d\\.\\d)(?=[!-~！-～]{0,64}[A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[!-~！-～]{3,128}'].join('|');

const re = (source: string, flags = 'g') => new RegExp(source, flags);
/** A value an earlier form already replaced is left alone. */
const NOT_DONE = String.raw`(?!\[REDACTED\])`;

export const SECRET_FORMS: SecretForm[] = [
  {
    id: 'private-key-block', hints: ['private key-----'],
    what: 'PEM private keys (DKIM keys, TLS keys) pasted whole',
    re: /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----(?:[A-Za-z0-9+/=\s:,]|-(?!----END)){0,16384}(?:-----END [A-Z ]{0,40}PRIVATE KEY-----)?/g,
    example: ['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'],
  },
  {
    id: 'smtp-auth-initial-response', hints: ['auth'],
    what: 'AUTH PLAIN/LOGIN/XOAUTH2/… with its initial response, in any transcript or echoed in a server reply',
    re: /(?<keep>\bAUTH[ \t]{1,8}(?:PLAIN|LOGIN|XOAUTH2?|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|NTLM|SCRAM-SHA-(?:1|256)(?:-PLUS)?)[ \t]{1,8})(?!(?:PLAIN|LOGIN|XOAUTH2?|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|NTLM|GSSAPI|SCRAM-SHA-\d{1,3}(?:-PLUS)?|command)(?![A-Za-z0-9+/=._-]))[A-Za-z0-9+/=._-]{4,4096}/gi,
    example: ['C: AUTH PLAIN AHRhcm9AZXhhbXBsZS5qcABTM2NyZXQh', 'AHRhcm9AZXhhbXBsZS5qcABTM2NyZXQh'],
  },
  {
    id: 'webhook-slack', hints: ['hooks.slack.com'],
    what: 'Slack incoming-webhook and workflow URLs (the path is the secret)',
    re: /(?<keep>hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]{8,256}/g,
    example: ['curl -X POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefGHIJKLmnopQRSTuvwx', 'abcdefGHIJKLmnopQRSTuvwx'],
  },
  {
    id: 'webhook-discord', hints: ['/webhooks/'],
    what: 'Discord webhook URLs (id and token)',
    re: /(?<keep>discord(?:app)?\.com\/api\/(?:v\d{1,2}\/)?webhooks\/)[0-9]{5,30}\/[A-Za-z0-9_-]{20,128}/g,
    example: ['https://discord.com/api/webhooks/1234567890123456789/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdEFGH', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdEFGH'],
  },
  { id: 'slack-token', hints: ['xox'], what: 'Slack tokens', re: /\bxox[abposre]-[A-Za-z0-9-]{8,256}/g, example: ['SLACK_BOT_TOKEN xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij'] },
  { id: 'slack-app-token', hints: ['xapp-'], what: 'Slack app-level tokens', re: /\bxapp-[A-Za-z0-9-]{8,256}/g, example: ['xapp-1-A0000-123-abcdef', 'xapp-1-A0000-123-abcdef'] },
  {
    id: 'discord-token',
    what: 'Discord bot tokens',
    re: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g,
    example: ['token MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123', 'abcdefghijklmnopqrstuvwxyz0123'],
  },
  { id: 'sendgrid-key', hints: ['sg.'], what: 'SendGrid API keys', re: /\bSG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g, example: ['SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123', 'SG.abcdefghijklmnopqrstuv'] },
  {
    id: 'aws-key-pair', hints: ['akia', 'asia'],
    what: 'AKIA…:secret pairs (Amazon SES SMTP credentials in sasl_passwd and configs)',
    re: /(?<keep>\b(?:AKIA|ASIA)[0-9A-Z]{16}:)[^\s@"']{8,512}/g,
    example: ['[email-smtp.us-east-1.amazonaws.com]:587 AKIAZ3EXAMPLEKEY1234:BNm8Kx2/Ses+Smtp', 'BNm8Kx2/Ses+Smtp'],
  },
  {
    id: 'sasl-passwd-line',
    what: 'Postfix sasl_passwd lines: [relay]:port user:password',
    re: /(?<keep>^[ \t]{0,8}\[?[A-Za-z0-9.-]{1,253}\]?:\d{1,5}[ \t]{1,8}[^\s:]{1,256}:)[^\s]{1,512}/gm,
    example: ['[smtp.example.com]:587 relayuser:Relay-Pw-1', 'Relay-Pw-1'],
  },
  { id: 'aws-access-key-id', hints: ['akia', 'asia'], what: 'AWS access key ids (SES SMTP user names)', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, example: ['user AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'] },
  { id: 'google-api-key', hints: ['aiza'], what: 'Google API keys', re: /\bAIza[0-9A-Za-z_-]{35}/g, example: ['key=AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'] },
  { id: 'github-token', hints: ['gh', 'github_pat_'], what: 'GitHub tokens', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{30,255})/g, example: ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'] },
  { id: 'mailgun-key', hints: ['key-'], what: 'Mailgun API keys', re: /\bkey-[0-9a-z]{32}\b/g, example: ['api:key-0123456789abcdef0123456789abcdef', 'key-0123456789abcdef0123456789abcdef'] },
  { id: 'stripe-key', hints: ['k_live_', 'k_test_'], what: 'Stripe-style live and test keys', re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,128}/g, example: ['sk_live_abcdefghijklmnop1234', 'sk_live_abcdefghijklmnop1234'] },
  {
    id: 'jwt', hints: ['eyj'],
    what: 'JSON web tokens (OAuth access tokens)',
    re: /\beyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,4096}/g,
    example: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  },
  {
    id: 'google-oauth-token', hints: ['ya29.', '1//'],
    what: 'Google OAuth access and refresh tokens',
    re: /\b(?:ya29\.[A-Za-z0-9_.-]{16,2048}|1\/\/[A-Za-z0-9_-]{30,512})/g,
    example: ['auth=Bearer ya29.a0AfH6SMBxyz1234567890abcdef', 'ya29.a0AfH6SMBxyz1234567890abcdef'],
  },
  {
    id: 'http-authorization', hints: ['bearer', 'basic'],
    what: 'HTTP Authorization values (Bearer, Basic)',
    re: /(?<keep>\b(?:Bearer|Basic)[ \t]{1,8})[A-Za-z0-9+/=._~-]{8,4096}/g,
    example: ['Authorization: Basic bWU6cGFzc3dvcmQxMjM=', 'bWU6cGFzc3dvcmQxMjM='],
  },
  {
    id: 'curl-user', hints: ['-u', '--user', '--http-user', '--auth', '--pass'],
    what: 'curl -u / --user user:password (and wget, httpie alike)',
    re: /(?<keep>(?:\s|^)(?:(?:-u|--user|--http-user|--auth)(?:[ \t]{1,8}|=)['"]?[^\s:'"]{0,128}:|(?:--password|--http-password|--pass)(?:[ \t]{1,8}|=)['"]?))[^\s'"]{1,256}/g,
    example: ["curl --url 'smtps://smtp.gmail.com:465' --user 'me@gmail.com:Sup3rS3cret' -T mail.txt", 'Sup3rS3cret'],
  },
  {
    id: 'pop3-imap-login', hints: ['pass', 'login'],
    what: 'POP3 PASS and IMAP LOGIN commands in transcripts',
    re: /(?<keep>(?:^|[\s:>'"])(?:PASS[ \t]{1,8}|[A-Za-z]{0,4}\d{1,6}[ \t]{1,4}LOGIN[ \t]{1,8}"?[^\s"]{1,128}"?[ \t]{1,8}))"?[^\s"]{1,256}"?/gm,
    example: ['C: USER taro\nC: PASS Tar0-pop3!', 'Tar0-pop3!'],
  },
  {
    id: 'email-colon-password', hints: ['@'],
    what: 'address:password pairs (Postfix sasl_passwd, credential lines, echoed by a server)',
    re: /(?<keep>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}:)(?!\d{1,5}(?![^\s,;)]))[^\s,;)]{1,256}/g,
    example: ['[smtp.gmail.com]:587 taro.yamada@gmail.com:abcdwxyzabcdwxyz', 'abcdwxyzabcdwxyz'],
  },
  {
    id: 'userinfo-without-scheme', hints: ['@'],
    what: 'user:password@host typed without a scheme (a probe target, a DSN); the password may hold @',
    // Not a header or field name before an address (To:taro@…, MAIL FROM:<…>), nor Exim's A=dovecot_login:user@…
    re: /(?<keep>(?:^|[\s'"(=])(?!(?:to|from|cc|bcc|for|rcpt|mail|sender|recipient|user(?:name)?|login|address|e-?mail|reply-to|return-path|mailto|orcpt|rfc822|envelope-from|by|id|smtp|x-[a-z-]{1,40}|[a-z0-9_]{0,30}(?:login|plain|md5|auth|ntlm)):)[^\s:@'"/<>=]{1,64}:)(?!\/\/)[^\s'"<>]{1,256}(?=@[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{1,253})/gi,
    example: ['probe me:Pa@ss-1@smtp.example.com', 'Pa@ss-1'],
  },
  {
    id: 'xml-secret-element', hints: ['<'],
    what: '<password>…</password> and similar elements in XML configs',
    re: re(String.raw`(?<keep><[A-Za-z0-9_:.-]{0,40}${LONG_KEY}[A-Za-z0-9_.-]{0,20}>)[^<\n]{1,256}(?=</)`, 'gi'),
    example: ['<smtp><password>Xml-S3cret</password></smtp>', 'Xml-S3cret'],
  },
  {
    id: 'positional-credential-call', hints: ['('],
    what: "calls taking (user, password): NetworkCredential, smtp.login, yagmail.SMTP, PasswordAuthentication, setAuthentication",
    re: /(?<keep>\b(?:NetworkCredential|login|SMTP|SMTP_SSL|PasswordAuthentication|setAuthentication|authenticate|auth)[ \t]{0,4}\([ \t]{0,4}[^,()\n]{0,128},[ \t]{0,4})(?:"(?:[^"\\\n]|\\.){1,256}"|'(?:[^'\\\n]|\\.){1,256}')(?=[ \t]{0,4}[,)])/g,
    example: ['server.login("me@gmail.com", "abcd efgh ijkl mnop")', 'abcd efgh ijkl mnop'],
  },
  {
    id: 'positional-credential-call-last', hints: ['connect', 'transport.send'],
    what: 'calls taking the password last after host and user: transport.connect(h, [port,] u, p), Transport.send(m, u, p)',
    re: /(?<keep>(?:\.connect|Transport\.send)[ \t]{0,4}\([ \t]{0,4}(?:[^,()\n]{0,128},[ \t]{0,4}){2,3})(?:"(?:[^"\\\n]|\\.){1,256}"|'(?:[^'\\\n]|\\.){1,256}')(?=[ \t]{0,4}\))/g,
    example: ['transport.connect("smtp.gmail.com", 587, "me@gmail.com", "Tr4nsport!")', 'Tr4nsport!'],
  },
  {
    id: 'ruby-smtp-start', hints: ['smtp.start'],
    what: "Ruby Net::SMTP.start(host, port, helo, user, password, :login)",
    re: /(?<keep>SMTP\.start[ \t]{0,4}\((?:[^,()\n]{0,128},[ \t]{0,4}){4})(?:"(?:[^"\\\n]|\\.){1,256}"|'(?:[^'\\\n]|\\.){1,256}')/g,
    example: ["Net::SMTP.start('smtp.example.com', 587, 'localhost', 'me', 'RubyStart#1', :login)", 'RubyStart#1'],
  },
  {
    id: 'go-plain-auth', hints: ['auth'],
    what: 'Go smtp.PlainAuth(identity, user, password, host): the third argument',
    re: /(?<keep>\b(?:PlainAuth|CRAMMD5Auth|LoginAuth)[ \t]{0,4}\([ \t]{0,4}(?:[^,()\n]{0,128},[ \t]{0,4}){2})(?:"(?:[^"\\\n]|\\.){1,256}"|`[^`\n]{1,256}`)/g,
    example: ['auth := smtp.PlainAuth("", "me@example.com", "G0-S3cret", "smtp.example.com")', 'G0-S3cret'],
  },
  {
    id: 'secure-string', hints: ['convertto-securestring'],
    what: "PowerShell ConvertTo-SecureString 'password' -AsPlainText",
    re: /(?<keep>ConvertTo-SecureString[ \t]{1,8}(?:-String[ \t]{1,8})?)(?:"[^"\n]{1,256}"|'[^'\n]{1,256}'|[^\s]{1,256})/gi,
    example: ['$p = ConvertTo-SecureString "Ps-S3cret!" -AsPlainText -Force', 'Ps-S3cret!'],
  },
  {
    id: 'quoted-key-comma-value', hints: ['pass', 'secret', 'token', 'key'],
    what: "a quoted key name then a comma and the value: props.put(\"mail.smtp.password\", \"x\"), define('SMTP_PASS', 'x'), ['password', 'x']",
    re: re(String.raw`(?<keep>${LONG_KEY}${KEY_TAIL}[ \t]{0,8},[ \t]{0,8})(?:"(?:[^"\\\n]|\\.){0,512}"|'(?:[^'\\\n]|\\.){0,512}')`, 'gi'),
    example: ['props.put("mail.smtp.password", "J@va-S3cret");', 'J@va-S3cret'],
  },
  {
    id: 'quoted-pass-key-comma-value', hints: ['pass', 'pw'],
    what: "the same with a short key: define('WPMS_SMTP_PASS', 'x')",
    re: re(String.raw`(?<keep>${PASS_KEY}${KEY_TAIL}[ \t]{0,8},[ \t]{0,8})(?:"(?:[^"\\\n]|\\.){0,512}"|'(?:[^'\\\n]|\\.){0,512}')`, 'g'),
    example: ["define( 'WPMS_SMTP_PASS', 'Wp-S3cret' );", 'Wp-S3cret'],
  },
  {
    id: 'line-key-value', hints: ['pass', 'secret', 'token', 'key'],
    what: '.env, INI, YAML and properties lines: the value runs to the end of its word, whatever it holds (MAIL_PASSWORD=a;b,c)',
    re: re(String.raw`(?<keep>^[ \t]{0,16}(?:export[ \t]{1,4}|set[ \t]{1,4}|-[ \t]{1,4})?[A-Za-z0-9_.-]{0,60}(?:${LONG_KEY}|pass|PASS|Pass)[A-Za-z0-9_.-]{0,40}["']?${SEP})${NOT_DONE}(?!["'\`])(?:[a-z]{4}[ -][a-z]{4}[ -][a-z]{4}[ -][a-z]{4}(?![A-Za-z0-9])|[^\s]{1,512})`, 'gim'),
    example: ['MAIL_HOST=smtp.example.jp\nMAIL_PASSWORD=se;cr,et}1\nMAIL_PORT=587', 'se;cr,et}1'],
  },
  {
    id: 'key-value', hints: ['pass', 'secret', 'token', 'key'],
    what: 'key = value, key: value, "key": "value", key => value, $mail->Password = …, for password-like keys in code and configs',
    re: re(String.raw`(?<keep>${LONG_KEY}${KEY_TAIL}${SEP})${NOT_DONE}(?:${VALUE})`, 'gi'),
    example: ["EMAIL_HOST_PASSWORD = 'dj4ngo-S3cret'", 'dj4ngo-S3cret'],
  },
  {
    id: 'pass-key-value', hints: ['pass', 'pw'],
    what: 'the same for short keys: pass, PASS, MAIL_PASS, smtpPass, pwd, pw',
    re: re(String.raw`(?<keep>${PASS_KEY}${KEY_TAIL}${SEP})${NOT_DONE}(?:${VALUE})`, 'g'),
    example: ["auth: { user: 'me@example.com', pass: 'hunter2' }", 'hunter2'],
  },
  {
    id: 'config-directive', hints: ['pass'],
    what: 'msmtp/mutt/fetchmail style "password VALUE" and "set smtp_pass = VALUE" lines',
    re: /(?<keep>^[ \t]{0,16}(?:password|passwd|smtp_pass|imap_pass|pass)[ \t]{1,8})(?!is\b|was\b|for\b|=)(?:"[^"\n]{1,256}"|'[^'\n]{1,256}'|[^\s]{1,256})(?=[ \t]*(?:$|#))/gim,
    example: ['account gmail\nhost smtp.gmail.com\npassword Msmtp-S3cret\nauth on', 'Msmtp-S3cret'],
  },
  {
    id: 'english-prose', hints: ['pass', 'pw', 'token', 'secret', 'key'],
    what: 'passwords, tokens and keys told in English prose: "my password is X", "using the app password X", "password for x@y is X", "the API token is X"',
    re: re(String.raw`(?<keep>\b(?:app[ -]?password|password|passwd|passcode|passphrase|pw|(?:api|access|auth|bot|secret|private)[ _-]?key|(?:(?:api|access|auth|bot|bearer)[ _-]?)?token|(?:client[ _-]?)?secret)(?:[ \t]{1,4}for[ \t]{1,4}[^\s]{1,100})?(?:[ \t]{1,4}(?:is|was|of|as|to|set[ \t]to|changed[ \t]to))?(?:[ \t]{1,4}now)?[ \t]{1,4})${NOT_DONE}(?:${PROSE_VALUE})`, 'gi'),
    example: ['my password is Passw0rd!', 'Passw0rd!'],
  },
  {
    id: 'english-prose-before', hints: ['password'],
    what: 'a quoted value said to be the password: "\'X\' as the password", "\\"X\\" is my password"',
    re: /(?:"[^"\n]{1,128}"|'[^'\n]{1,128}')(?=[ \t]{1,4}(?:as|is)[ \t]{1,4}(?:the|my|our)[ \t]{1,4}(?:app[ -]?)?password)/gi,
    example: ['I typed "Qwerty!234" as the password', 'Qwerty!234'],
  },
  {
    id: 'japanese-prose', hints: ['パスワード', 'ﾊﾟｽﾜｰﾄﾞ', 'パスコード', '暗証番号', 'pw', 'ｐｗ'],
    what: 'パスワード：「X」, パスワードは X です, アプリパスワード xxxx xxxx xxxx xxxx, 暗証番号 1234',
    re: re(String.raw`(?<keep>${JA_KEY}${JA_SEP})${NOT_DONE}(?:[a-z]{4}[ -][a-z]{4}[ -][a-z]{4}[ -][a-z]{4}(?![A-Za-z0-9])|${JA_VALUE})`, 'g'),
    example: ['パスワード：「Sakura#2024」で設定しました', 'Sakura#2024'],
  },
  {
    id: 'japanese-prose-before', hints: ['パスワード'],
    what: '「X」というパスワード, "X" をパスワードに',
    re: /(?:「[^」\n]{1,128}」|『[^』\n]{1,128}』|"[^"\n]{1,128}")(?=[ \t\u3000]{0,4}(?:という|って|の|を|が|は)?[ \t\u3000]{0,4}(?:アプリ)?パスワード)/g,
    example: ['「Hoge1234!」というパスワードを入れました', 'Hoge1234!'],
  },
  {
    id: 'app-password-groups', hints: ['password', 'パスワード'],
    what: 'a Gmail/Apple/Yahoo app password in its four groups right after the words that name it',
    re: /(?<keep>(?:app[ -]?password|application[ -]specific[ -]password|アプリ[ \t]?パスワード|アプリケーション固有のパスワード)[^\n]{0,40}?)\b[a-z]{4}[ -][a-z]{4}[ -][a-z]{4}[ -][a-z]{4}(?![A-Za-z0-9])/gi,
    example: ['Generated an app password for Thunderbird - it is: qwer tyui opas dfgh', 'qwer tyui opas dfgh'],
  },
];

/** Where a URL's user info would start. */
const URL_START = /\b[a-z][a-z0-9+.-]{0,20}:\/\//gi;
const URL_END = /[\s"'<>`「」、。]/;

/**
 * smtp://user:pass@host — the password may itself hold '@' or '/', so the user info runs to the last '@' of the URL
 * (a host never holds one). A user name alone (smtp://user@host) is kept; with a password, both go when the user
 * name is itself a key (AKIA…) — the token rules see to that.
 */
function redactUrlCredentials(text: string): string {
  if (!text.includes('://')) return text;
  let out = '';
  let last = 0;
  URL_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_START.exec(text))) {
    const from = m.index + m[0].length;
    if (from < last) continue;
    let end = from;
    while (end < text.length && end - from < 2048 && !URL_END.test(text.charAt(end))) end++;
    const token = text.slice(from, end);
    const at = token.lastIndexOf('@');
    const colon = token.indexOf(':');
    URL_START.lastIndex = end;
    if (at <= 0 || colon < 0 || colon > at) continue;
    out += `${text.slice(last, from)}${token.slice(0, colon + 1)}${REDACTED}${token.slice(at)}`;
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Base64 challenges that are prompts, not secrets: "Username:", "Password:" and their variants. */
const PROMPTS = new Set(['VXNlcm5hbWU6', 'UGFzc3dvcmQ6', 'dXNlcm5hbWU6', 'cGFzc3dvcmQ6', 'VXNlciBOYW1lAA==', 'UGFzc3dvcmQA']);
/** Where a client's or a server's turn starts in a debug log: C:, S:, CLIENT -> SERVER:, send:, reply:, ->, <~ … */
const TURN =
  /(?:^|(?<=\s))(?:C:|S:|CLIENT -> SERVER:|SERVER -> CLIENT:|Sent:|Got:|send:|reply:|SMTP Send:|SMTP Response:|->|<-\*{1,2}|<-|~>|<~\*{1,2}|<~|\*\*>|<\*\*|>>|<<|>|<)(?=\s|$)/g;
/** Only named markers say who speaks: arrows point one way in swaks and the other in Ruby's debug output. */
const SERVER_TURN = /^(?:S:|SERVER -> CLIENT:|Got:|reply:|SMTP Response:)$/;
const CHALLENGE = /(?:^|[\s'"b(])334(?:[ )\-;]|$)/;
const BASE64_TOKEN = /^[A-Za-z0-9+/]{4,}={0,2}$/;
/** What wraps a token in debug formats: Python's repr (b'…\r\n'), Ruby's inspect ("…\r\n"), quotes. */
const WRAPPING = /^(?:b?['"])?|(?:\\r)?(?:\\n)?['"]?[,;]?$/g;
const REPLY_START = /^(?:b?['"])?[2-5]\d\d(?:[ -]|$)/;

interface Turn {
  /** Where the turn's text starts in the line and its text. */
  at: number;
  text: string;
  server: boolean | null;
  /** Text before the line's first marker: a time stamp, a log level, a connection id. */
  prefix: boolean;
}

/** A line cut into turns at each C:/S:/->/<- marker (a whole transcript pasted on one line has many). */
function turnsOf(line: string): Turn[] {
  const turns: Turn[] = [];
  let at = 0;
  let server: boolean | null = null;
  TURN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TURN.exec(line))) {
    if (m.index > at || turns.length === 0) turns.push({ at, text: line.slice(at, m.index), server, prefix: turns.length === 0 });
    server = SERVER_TURN.test(m[0]) ? true : /^[A-Za-z]/.test(m[0]) ? false : null;
    at = m.index + m[0].length;
  }
  turns.push({ at, text: line.slice(at), server, prefix: false });
  return turns;
}

/**
 * The client's base64 answers to "334" challenges (AUTH LOGIN user name and password, CRAM-MD5 digest, XOAUTH2
 * token) cannot be told apart from other words by their shape: what marks them is where they stand, right after a
 * 334. A turn after a 334 turn that is not a server reply has its base64 tokens removed, and so have the tokens that
 * follow a 334 challenge on its own line when no marker separates them ("334 VXNlcm5hbWU6 dGFybw==").
 */
function redactChallengeAnswers(text: string): string {
  if (!text.includes('334')) return text;
  const lines = text.split('\n');
  let answerDue = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const cuts: [number, number][] = [];
    for (const turn of turnsOf(line)) {
      const body = turn.text.trim();
      if (body === '' || turn.prefix) continue;
      const isChallenge = CHALLENGE.test(` ${body}`) && REPLY_START.test(body.replace(/^\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+/, ''));
      const isReply = REPLY_START.test(body) || turn.server === true;
      if (answerDue && !isReply) {
        collectTokens(turn, 0, cuts);
        answerDue = false;
        continue;
      }
      if (isChallenge || CHALLENGE.test(body)) {
        // "334 <challenge> <answer>" with no marker between: everything after the challenge token is the answer.
        const words = body.split(/\s+/);
        const at = words.findIndex((w) => /^(?:b?['"])?334(?:-|$)/.test(w));
        if (at >= 0 && words.length > at + 2) collectTokens(turn, at + 2, cuts);
        answerDue = true;
      } else if (isReply) {
        answerDue = false;
      }
    }
    if (cuts.length > 0) {
      let out = '';
      let last = 0;
      for (const [from, to] of cuts) {
        out += `${line.slice(last, from)}${REDACTED}`;
        last = to;
      }
      lines[i] = out + line.slice(last);
    }
  }
  return lines.join('\n');
}

/** Positions (in the line) of the base64 tokens of a turn, from its `skip`-th word on. */
function collectTokens(turn: Turn, skip: number, cuts: [number, number][]): void {
  const word = /\S+/g;
  let n = 0;
  let m: RegExpExecArray | null;
  while ((m = word.exec(turn.text))) {
    if (n++ < skip) continue;
    const raw = m[0];
    const bare = raw.replace(WRAPPING, '');
    if (!BASE64_TOKEN.test(bare) || PROMPTS.has(bare) || bare === REDACTED) continue;
    const from = turn.at + m.index + raw.indexOf(bare);
    cuts.push([from, from + bare.length]);
  }
}

function applyForm(text: string, form: SecretForm): string {
  form.re.lastIndex = 0;
  return text.replace(form.re, (...args: unknown[]) => {
    const groups = args[args.length - 1] as Record<string, string | undefined> | undefined;
    const keep = typeof groups === 'object' && groups ? groups.keep : undefined;
    return `${keep ?? ''}${REDACTED}`;
  });
}

/**
 * Every form's hints in one automaton: which hints a text holds is one pass over it, not a search per hint (some fifty
 * searches of every text were half the cost of redacting it). `hintForms[i]`: the forms the i-th pattern is a hint of.
 */
let hintIndex: { automaton: Automaton; forms: number[][] } | null = null;

function hintsOf(): { automaton: Automaton; forms: number[][] } {
  if (!hintIndex) {
    const patterns: string[] = [];
    const forms: number[][] = [];
    SECRET_FORMS.forEach((form, f) => {
      for (const h of form.hints ?? []) {
        patterns.push(h);
        forms.push([f]);
      }
    });
    hintIndex = { automaton: new Automaton(patterns), forms };
  }
  return hintIndex;
}

export function redact(text: string): string {
  let out = redactUrlCredentials(redactChallengeAnswers(text));
  // A hint missing from the text before any replacement is missing after it too: replacements only remove text.
  const { automaton, forms } = hintsOf();
  const hinted = new Uint8Array(SECRET_FORMS.length);
  automaton.scan(out.toLowerCase(), (_start, pattern) => {
    for (const f of forms[pattern] ?? []) hinted[f] = 1;
  });
  SECRET_FORMS.forEach((form, f) => {
    if (form.hints && hinted[f] === 0) return;
    out = applyForm(out, form);
  });
  return out;
}

/**
 * Removes what a user gave for a test (password, user name) from a text the server sent back, in the forms a server
 * could echo it: as typed, base64 (AUTH LOGIN), and AUTH PLAIN's base64 of user and password together.
 */
export function withoutCredentials(text: string, creds: { user: string; pass: string }): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const forms = [
    creds.pass,
    b64(creds.pass),
    b64(`\0${creds.user}\0${creds.pass}`),
    b64(`${creds.user}\0${creds.user}\0${creds.pass}`),
    encodeURIComponent(creds.pass),
    creds.user.length >= 3 ? creds.user : '',
    creds.user.length >= 3 ? b64(creds.user) : '',
  ]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const f of forms) out = out.split(f).join(REDACTED);
  return out;
}

/** Every string in a plain data value passed through `f` (for reports and log objects). */
export function mapStrings<T>(value: T, f: (s: string) => string, depth = 0): T {
  if (typeof value === 'string') return f(value) as T;
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f, depth + 1);
  return out as T;
}
