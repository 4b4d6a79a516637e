/**
 * A long log reduced to the failure that matters: per transaction (a Postfix/Exim queue id, an SMTP session, a
 * client's send attempt) its last failure line, and of those the most recent transaction's. A log repeats the same
 * deferral for hours before the one line that says what finally went wrong; reading it whole lets the most repeated
 * line win. Pure.
 */

/** Below this many lines a text is a paste, read whole. */
const LOG_MIN_LINES = 40;

const FAILURE =
  /\b(?:status=(?:bounced|deferred|undeliverable)|[45]\d\d[ -]|[45]\.\d{1,3}\.\d{1,3}\b|E[A-Z]{4,}|error|fail(?:ed|ure)?|refused|rejected|denied|timed? ?out|unable|cannot|can't|could not|couldn't|not (?:found|accepted|allowed|permitted)|unknown|invalid|exception)\b|0x800[0-9a-f]{5}|エラー|失敗|拒否|できません|できませんでした|タイムアウト/i;
// Lines that report success or progress mention codes too ("250 2.0.0 Ok", "status=sent"): never the failure.
const SUCCESS = /\bstatus=sent\b|(?:^|[\s:>])(?:2[0-5][0-9]|354)[ -](?:2\.\d{1,3}\.\d{1,3}\s)?|送信しました|送信に成功/i;

// Transaction keys: a Postfix queue id, an Exim message id, nodemailer's connection id ("INFO [x1Y2z3]"), a session id,
// a process id.
const TRANSACTION = [
  /\b([0-9A-F]{7,12}):\s/,
  /\b([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})\b/,
  /\b(?:DEBUG|INFO|WARN|ERROR)\s+\[([0-9A-Za-z]{4,16})\]/,
  /\bsession[ =:#]*([0-9a-f-]{4,})/i,
  /\[(\d{2,7})\]:/,
];

function transactionOf(line: string): string {
  for (const re of TRANSACTION) {
    const m = re.exec(line);
    if (m?.[1]) return m[1];
  }
  return '';
}

/** The lines worth diagnosing in a long log, or null when the text is short or names no failure (read it whole). */
export function reduceLog(text: string): string | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < LOG_MIN_LINES) return null;
  const failures = lines.map((line, at) => ({ line, at })).filter(({ line }) => FAILURE.test(line) && !SUCCESS.test(line));
  const last = failures.at(-1);
  if (!last) return null;
  const key = transactionOf(last.line);
  // The last transaction's failure lines (up to five, in order); a log without transaction keys gives its last failure.
  const mine = key ? failures.filter((f) => transactionOf(f.line) === key) : [last];
  return mine
    .slice(-5)
    .map((f) => f.line.trim())
    .join('\n');
}
