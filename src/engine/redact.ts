/**
 * Removes secrets from text before anything is stored, logged, matched or echoed. Runs first in the pipeline,
 * so every later stage (and every reply that quotes evidence) only ever sees the redacted form.
 */

export const REDACTED = '[REDACTED]';

interface Rule {
  re: RegExp;
  /** Replacement; `$1` keeps the part before the secret (the key name) so the text still reads. */
  to: string;
}

const RULES: Rule[] = [
  // SMTP AUTH on the wire: AUTH PLAIN <b64>, AUTH LOGIN <b64>, XOAUTH2 tokens.
  { re: /\b(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5)\s+)[A-Za-z0-9+/=._-]{4,}/gi, to: `$1${REDACTED}` },
  // Credentials inside URLs: smtp://user:pass@host
  { re: /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s:/@]+:)[^\s@/]+(@)/gi, to: `$1${REDACTED}$2` },
  // Chat-platform and API tokens.
  { re: /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, to: REDACTED },
  { re: /\bxapp-[A-Za-z0-9-]{8,}/g, to: REDACTED },
  { re: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g, to: REDACTED },
  { re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, to: REDACTED },
  { re: /\bAKIA[0-9A-Z]{16}\b/g, to: REDACTED },
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, to: REDACTED },
  { re: /\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{8,}/g, to: `$1 ${REDACTED}` },
  // key = value / key: 'value' / "key": "value" for password-like keys, in config dumps and code.
  {
    re: /(["']?\b(?:pass(?:word|wd|phrase)?|pwd|secret|client_secret|api[_-]?key|access[_-]?token|refresh[_-]?token|token|smtp_pass(?:word)?|mail_password|auth_pass)\b["']?\s*[:=]\s*)(?:"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|[^\s,;}]+)/gi,
    to: `$1${REDACTED}`,
  },
  // Japanese: パスワード: xxx / パスワードは xxx / 暗証番号 xxx.
  // Only when what follows looks like a secret (ASCII without spaces), so 「パスワードを確認してください」 stays readable.
  { re: /((?:パスワード|暗証番号)\s*(?:[:：=＝]|は|が|を)?\s*)(?=[!-~]*[A-Za-z0-9])[!-~]{3,}/g, to: `$1${REDACTED}` },
  // "with password xxx" / "my password is xxx"
  { re: /(\bpassword\s+(?:is\s+)?)(?!\[REDACTED\])(?=[^\s]*[0-9!@#$%^&*])[^\s,.;]{4,}/gi, to: `$1${REDACTED}` },
];

/** A transcript line that is only a base64 token, after an optional "C:" / "<<" style prefix. */
const BASE64_LINE = /^(\s*(?:[A-Za-z]{1,3}:|<<|>>|<-|->|\[\w+\])?\s*)([A-Za-z0-9+/]{4,}={0,2})\s*$/;
const CHALLENGE = /(^|[\s:>-])334(?:[\s-]|$)/;

/** The client's base64 answers to "334" challenges (AUTH LOGIN user name and password) cannot be told apart by shape alone. */
function redactChallengeAnswers(text: string): string {
  if (!text.includes('334')) return text;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!CHALLENGE.test(lines[i - 1] ?? '')) continue;
    const m = BASE64_LINE.exec(lines[i] ?? '');
    if (m) lines[i] = `${m[1]}${REDACTED}`;
  }
  return lines.join('\n');
}

export function redact(text: string): string {
  let out = redactChallengeAnswers(text);
  for (const rule of RULES) out = out.replace(rule.re, rule.to);
  return out;
}
