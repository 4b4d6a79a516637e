/**
 * A bounce read as a bounce: the MIME structure (postal-mime), the RFC 3464 delivery-status fields per recipient, or,
 * where an MTA sends no DSN part, the recipient and the server's words out of its human-readable report (Postfix,
 * Exim, Sendmail, qmail, Exchange/Microsoft 365, Gmail, Yahoo, Japanese ISPs and carriers all put the failed address
 * before or beside what the remote server said). Each failed recipient's diagnostic text then goes through the
 * ordinary engine. Pure: no I/O (the parser is asynchronous only because it accepts streams).
 */
import PostalMime, { type Attachment, type Email } from 'postal-mime';
import { defaultEntry, diagnose, judge, type classify } from './diagnose.js';
import type { EngineIndex } from './index.js';
import { FIELD, looksLikeMessage } from './message.js';
import { redact } from './redact.js';
import type { BounceReading, CategoryId, Diagnosis, KnowledgeEntry, Lang } from './types.js';

export type BounceKind = 'failure' | 'delay' | 'auto-reply' | 'feedback';

export interface BounceRecipient {
  address: string;
  /** RFC 3464 Action (failed, delayed, delivered, relayed, expanded); inferred from the report when there is no DSN. */
  action: string;
  /** RFC 3463 status code, e.g. 5.1.1; empty when the report gives none. */
  status: string;
  /** The server that refused (Remote-MTA, or the host named in the report). */
  remoteMta: string;
  /** What the remote server said (Diagnostic-Code without its type, or the report's words for this recipient). */
  diagnosticCode: string;
  /**
   * The Diagnostic-Code's type (RFC 3464 2.3.6): "smtp" when the words are the remote server's reply, another name
   * ("X-Postfix", "X-Unix" …) when they are the reporting MTA's own; absent when the bounce has no DSN part.
   */
  diagnosticType?: string;
  /** The comment of the DSN's Status field, the reporting MTA's words on the code (RFC 3464 §2.3.4), when it has one. */
  statusNote?: string;
}

export interface ParsedBounce {
  kind: BounceKind;
  /** Subject and date (ISO 8601) of the original message (the one that bounced), when the bounce carries it. */
  subject: string | null;
  date: string | null;
  /** The original's Date header as written (in its sender's time zone): what a person recognises. */
  dateText: string | null;
  recipients: BounceRecipient[];
  /** The report's own words, up to the quoted original: read whole when no recipient's words tell the cause. */
  report: string;
}

export interface RecipientDiagnosis extends BounceRecipient {
  category: CategoryId;
  entry: string | null;
  diagnosis: Diagnosis;
  /** The SMTP command the remote server refused (RCPT, MAIL, DATA, HELO, EHLO, CONN …), as the report names it; "" when it does not. */
  command: string;
  /**
   * What decided beside the words, when the structure did: the command's stage, the status or reply code, the bounce
   * itself, or the knowledge's own phrases where the model alone had read the server's reply otherwise ('rules').
   */
  decidedBy?: 'stage' | 'status' | 'reply' | 'bounce' | 'rules';
}

export interface BounceAnalysis extends ParsedBounce {
  recipients: RecipientDiagnosis[];
  /** Recipients whose delivery failed (or, for a delay notice, is delayed). */
  failed: number;
}

/** Past this size a text is not treated as a message: the parser's cost grows with it and no real bounce is so big. */
const MAX_BOUNCE_BYTES = 8 * 1024 * 1024;
/**
 * How much of a report is searched for recipients: real reports name them at the top, and the address pattern costs
 * quadratic time on a long run of address characters, so a hostile paste must not reach it whole.
 */
const MAX_SCAN_CHARS = 16_000;
/** The top of a report explains it; past this it is boilerplate and quoted headers. */
const MAX_REPORT_CHARS = 4000;
const PARSE_LIMITS = { maxNestingDepth: 32, maxPartCount: 500, maxRfc822NestingDepth: 3, forceRfc822Attachments: true } as const;

const LOCAL_CHAR = /[a-z0-9!#$%&'*+/=?^_`{|}~.-]/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/i;

/**
 * The addresses in a text, found from each "@" outwards (at most 64 characters of local part, 255 of domain): linear
 * in the text's length, where a plain pattern retried at every position is quadratic on a run of address characters.
 */
function addressesIn(text: string): { address: string; index: number }[] {
  const out: { address: string; index: number }[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text.charAt(start - 1))) start--;
    const domain = DOMAIN.exec(text.slice(at + 1, at + 256))?.[0];
    if (start === at || !domain) continue;
    out.push({ address: `${text.slice(start, at)}@${domain}`.toLowerCase().replace(/\.+$/, ''), index: start });
  }
  return out;
}
const SYSTEM_SENDER = /^(?:mailer-daemon|post_?master|mail-?daemon|mail\.?delivery|bounces?|no-?reply|root|double-bounce|mdaemon)(?:[+@]|$)|^(?:[^@]*\+)?bounce/i;

// Subjects of the human-readable reports of the common MTAs and services (and their Japanese counterparts).
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (?:status notification|failure|has failed|failed|problem|incomplete)|failure notice|returned mail|mail delivery (?:failed|failure|system|subsystem)|could not send message|non[- ]?delivery|delivery notification|mail not delivered|rejected|bounce|warning: could not|message (?:not delivered|could not be delivered|delayed)|delayed mail|error sending|permanent error|nicht zustellbar|配信.*(?:失敗|不能|できません)|不達|送信(?:エラー|失敗)|メール.*(?:届きません|戻|返送)|エラーメール/i;
const BOUNCE_SENDER_NAME = /mail delivery|mailer-daemon|postmaster|mail administrator|delivery subsystem|internet mail service|メール配信|システム管理/i;
const AUTO_REPLY_SUBJECT = /^(?:auto(?:matic)?[ -]?(?:reply|response|answer)|auto:|out of (?:the )?office|away from|vacation|autoreply|abwesenheit|自動(?:応答|返信|返答)|不在|休暇)/i;
const DELAY_WORDS = /\b(?:delayed|delay|will (?:continue|keep) (?:trying|to try)|still trying|not yet been delivered|has not been delivered yet|warning: message|will be retried|retry(?:ing)? (?:until|for))\b|遅延|再送を続け|再試行を続け/i;

// Where the report stops and the copy of the original message begins.
const ORIGINAL_MARKER =
  /^[ \t]*(?:-{2,}|={2,}|\*{2,}|#{2,})?[ \t]*(?:this is a copy of the message|below this line is a copy|(?:a )?copy of (?:the|your) (?:original )?message|original message (?:follows|headers?)|returned message|unsent message below|undelivered message|message headers? follow|headers of the (?:original|returned)|original-?message|original message\s*-{2,}|start of (?:the )?returned|your message reads|元のメッセージ|原文|送信したメール|返送されたメッセージ)/im;

function fieldsOf(block: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    const m = FIELD.exec(line);
    if (m?.[1] && m[2] !== undefined) {
      last = m[1].toLowerCase();
      if (!out.has(last)) out.set(last, m[2].trim());
    } else if (last && /^[ \t]/.test(line)) {
      out.set(last, `${out.get(last) ?? ''} ${line.trim()}`.trim());
    }
  }
  return out;
}

/** "rfc822; <a@b>" → "a@b"; "smtp; 550 …" → "550 …"; "dns; mx.example.jp" → "mx.example.jp". */
function typed(value: string | undefined): string {
  if (!value) return '';
  const v = value.replace(/^[a-z0-9-]+;\s*/i, '').trim();
  return v.replace(/^<(.*)>$/, '$1').trim();
}

function firstAddress(value: string): string {
  // A fresh regular expression: the shared global one keeps its lastIndex between calls.
  return addressesIn(value)[0]?.address ?? '';
}

// ISO-2022-JP switches to JIS X 0208 with ESC $ B (or ESC $ @): 7-bit text that undeclared parts leave undecoded.
const JIS_ESCAPE = /\x1b\$[@B]/;

/** Text a part left in ISO-2022-JP for want of a charset parameter (Japanese carriers, Domino), decoded. */
function jisDecoded(text: string): string {
  if (!JIS_ESCAPE.test(text) || /[^\x00-\x7f]/.test(text)) return text;
  return new TextDecoder('iso-2022-jp').decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

function textOf(content: Attachment['content']): string {
  if (typeof content === 'string') return jisDecoded(content);
  return jisDecoded(new TextDecoder('utf-8').decode(content instanceof ArrayBuffer ? new Uint8Array(content) : content));
}

const RFC3464_ACTIONS = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** RFC 3464's five actions; what some MTAs write instead ("expired", "bounced", none) is a failure. */
function actionOf(value: string | undefined): string {
  const action = (value ?? '').toLowerCase().split(/[\s(]/)[0] ?? '';
  return RFC3464_ACTIONS.has(action) ? action : 'failed';
}

/** A Status field's comment (RFC 3464 §2.3.4 allows one after the code), when it has words. */
function statusNote(value: string | undefined): string {
  const note = /^\s*\d\.\d{1,3}\.\d{1,3}\s*\((.+)\)\s*$/.exec(value ?? '')?.[1]?.trim() ?? '';
  return /\p{L}{3,}/u.test(note) ? note : '';
}

/** The per-recipient groups of a message/delivery-status part (RFC 3464 §2.1: per-message fields, then one group each). */
function dsnRecipients(status: string): BounceRecipient[] {
  const groups = status.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/).filter((g) => g.trim());
  const perMessage = fieldsOf(groups[0] ?? '');
  const out: BounceRecipient[] = [];
  for (const group of groups) {
    const f = fieldsOf(group);
    const address = firstAddress(typed(f.get('final-recipient') ?? f.get('original-recipient')));
    if (!address) continue;
    out.push({
      address,
      action: actionOf(f.get('action')),
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(f.get('status') ?? '')?.[0] ?? '',
      remoteMta: typed(f.get('remote-mta') ?? perMessage.get('reporting-mta') ?? ''),
      diagnosticCode: typed(f.get('diagnostic-code')).replace(/\s+/g, ' '),
      diagnosticType: /^([a-z0-9-]+);/i.exec(f.get('diagnostic-code') ?? '')?.[1]?.toLowerCase() ?? '',
      // The reporting MTA's words on the status ("Status: 5.1.10 (host/domain does not accept mail)"): read when
      // neither a Diagnostic-Code nor the report says more.
      ...(statusNote(f.get('status')) ? { statusNote: statusNote(f.get('status')) } : {}),
    });
  }
  return out;
}

interface SesNotification {
  notificationType?: string;
  Message?: string;
  bounce?: { reportingMTA?: string; bouncedRecipients?: { emailAddress?: string; action?: string; status?: string; diagnosticCode?: string }[] };
}

/**
 * Amazon SES bounce notifications sent by e-mail (through SNS): a JSON body, its long lines folded by the relaying
 * MTA with "!" + newline + space.
 */
function sesRecipients(body: string): BounceRecipient[] {
  if (!body.includes('notificationType')) return [];
  const unfolded = body.replace(/!\r?\n /g, '');
  const start = unfolded.indexOf('{');
  const end = unfolded.lastIndexOf('}');
  if (start < 0 || end <= start) return [];
  try {
    let n = JSON.parse(unfolded.slice(start, end + 1)) as SesNotification;
    if (typeof n.Message === 'string') n = JSON.parse(n.Message) as SesNotification;
    if (n.notificationType !== 'Bounce') return [];
    return (n.bounce?.bouncedRecipients ?? []).flatMap((r) =>
      r.emailAddress
        ? [{ address: r.emailAddress.toLowerCase(), action: actionOf(r.action), status: r.status ?? '', remoteMta: typed(n.bounce?.reportingMTA), diagnosticCode: typed(r.diagnosticCode) }]
        : [],
    );
  } catch {
    return [];
  }
}

const isDsn = (a: Attachment): boolean => a.mimeType === 'message/delivery-status' || a.mimeType === 'message/global-delivery-status';

/** The delivery-status part, also inside an attached message (a bounce forwarded by a relay or a notification system). */
async function findDsn(email: Email, depth: number): Promise<string | null> {
  const part = email.attachments.find(isDsn);
  if (part) return textOf(part.content);
  if (depth >= 1) return null;
  for (const a of email.attachments.filter((x) => x.mimeType === 'message/rfc822')) {
    try {
      const inner = await findDsn(await PostalMime.parse(textOf(a.content), PARSE_LIMITS), depth + 1);
      if (inner !== null) return inner;
    } catch {
      // A malformed attachment is just not a DSN.
    }
  }
  return null;
}

function headerOf(email: Email, key: string): string {
  return email.headers.find((h) => h.key === key)?.value ?? '';
}

function senderOf(email: Email): { address: string; name: string } {
  const from = email.from;
  if (from && 'address' in from && from.address) return { address: from.address.toLowerCase(), name: from.name ?? '' };
  return { address: '', name: '' };
}

function isAutoReply(email: Email): boolean {
  const auto = headerOf(email, 'auto-submitted').toLowerCase();
  if (auto.startsWith('auto-replied')) return true;
  if (email.headers.some((h) => ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress-reply'].includes(h.key))) return true;
  if (/auto[_-]?reply/i.test(headerOf(email, 'precedence'))) return true;
  return AUTO_REPLY_SUBJECT.test((email.subject ?? '').trim());
}

/** The body as text: its text part, its HTML with the tags taken out, or (a multipart whose boundary never comes) the raw body. */
async function bodyText(email: Email, raw: string): Promise<string> {
  let text = email.text ?? '';
  // Exchange and Microsoft 365 NDRs are often HTML only; links and images say nothing about the failure. The HTML
  // converter (and its parser) is loaded only for such a bounce: it is the largest package the engine uses.
  if (!text.trim() && email.html) text = (await import('html-to-text')).convert(email.html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
  if (!text.trim() && email.attachments.length === 0) {
    const start = raw.search(/\r?\n\r?\n/);
    text = start >= 0 ? raw.slice(start) : '';
  }
  return jisDecoded(text).replace(/\r\n/g, '\n');
}

/** The report's own words, up to where the original message is quoted. */
function reportText(text: string): string {
  const marker = ORIGINAL_MARKER.exec(text);
  if (marker && marker.index > 0) return text.slice(0, marker.index);
  // A quoted header block (Received:/Return-Path: at the start of a line) is the original message too.
  const headers = /\n(?:Return-Path|Received|Message-I[Dd]|X-[A-Za-z-]+|DKIM-Signature):[ \t]/.exec(text);
  return headers && headers.index > 40 ? text.slice(0, headers.index) : text;
}

/** The quoted original message after the marker, when the report carries it as text rather than as a part. */
function quotedOriginal(body: string): string | null {
  const text = body.replace(/\r\n/g, '\n');
  const marker = ORIGINAL_MARKER.exec(text);
  if (!marker) return null;
  const rest = text.slice(marker.index + marker[0].length);
  const start = rest.search(/^[A-Za-z][A-Za-z0-9-]*:[ \t]/m);
  return start >= 0 ? rest.slice(start) : null;
}

const SERVER_SAID = /\b(?:host|server|mta)\s+\[?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})\b/i;
// A reply code starts words ("550 No such user"); a number ending a line is a field's value ("Size (in bytes): 222"),
// and one inside a dotted number is part of an address (192.0.2.250).
const ERROR_LINE = /(?<![\d.])\b[245]\d\d\b(?![.\d])(?!\s*$)|\b[245]\.\d{1,3}\.\d{1,3}\b|\b(?:unknown|no such|not exist|does not exist|doesn't exist|unavailable|rejected|refused|denied|invalid|full|quota|over|exceed(?:s|ed|ing)?|blocked|spam|timed? ?out|expired|too (?:many|large|big)|not found|not listed|not accept(?:ing|ed)?|disabled|suspended|inactive|locked|relay|fail(?:ed|ing|ure|s)?|error|could not|couldn't|unable|unrouteable|problem|limit(?:ed|s)?)\b|存在しない|見つかりません|ありません|不明|無効|超過|容量|拒否|失敗|エラー|できません|届きません|宛先不明|受信拒否|タイムアウト/i;
/**
 * The sending MTA's own account of its retries ("I'm not going to try again; this message has been in the queue too
 * long", "Message will be retried for 2 more days", "The recipient server did not accept our requests to connect"):
 * decisive when no remote server replied, and left out when one did (its reply says why, the retries only how long).
 */
const RETRY_LINE = /\b(?:try again|(?:be )?retried|retrying|in the queue|giving up|gave up|not reachable|unreachable|did not accept)\b/i;
const BOILERPLATE =
  /this (?:is|message was) (?:the|an?|created) |i'm afraid|i'm sorry|please (?:try|contact|check|see)|for (?:more|further) (?:information|help|assistance)|help for postmaster|the mail system$|mail delivery (?:system|subsystem)|^\s*(?:to|subject|from|date|sent|cc):/i;

function saysNothing(text: string, address: string): boolean {
  return text.replace(address, '').replace(/[^\p{L}\p{N}]+/gu, '').length < 4;
}

// A remote server's reply quoted in a report: a reply code before words, or an enhanced status code.
const SERVER_REPLY = /\b[245]\d\d[ -]+(?:[245]\.\d{1,3}\.\d{1,3}\b|[a-z<(])|\b[245]\.\d{1,3}\.\d{1,3}\b/i;

const URL_ONLY = /^<?(?:https?:\/\/|www\.)\S+>?$/i;
/** A report's heading ("For the following reason:", "------- Failure Reasons --------"): what follows it is the reason. */
const HEADING = /:\s*$|^[-=*#_]{3,}.*[-=*#_]{3,}$/;

/**
 * A report's line as worth reading: a line that quotes the remote server's reply from the sentence that quotes it
 * (Gmail puts "The error that the other server returned was: 550 …" after a sentence of advice); a line of the
 * report's own words when it names a failure and is not boilerplate; else nothing.
 */
function lineWords(line: string): string {
  // A link alone ("For explanation visit" + URL) names a page, not the failure: "error-messages" in it says nothing.
  if (!line || URL_ONLY.test(line)) return '';
  const reply = SERVER_REPLY.exec(line);
  if (reply && BOILERPLATE.test(line)) {
    const start = Math.max(line.lastIndexOf('. ', reply.index), line.lastIndexOf('! ', reply.index));
    return line.slice(start >= 0 ? start + 2 : 0);
  }
  return reply || (!BOILERPLATE.test(line) && (ERROR_LINE.test(line) || RETRY_LINE.test(line))) ? line : '';
}

/** The lines of a block that say what went wrong (up to eight), as one line. */
function wordsOf(block: string, keepFirst = false): string {
  const lines = block.split('\n');
  const replied = lines.some((l) => SERVER_REPLY.test(l));
  // A line that is the address alone ("  a@b", "<a@b>:") has its reason on the next line (Exim, Yahoo, Mail.ru …),
  // whatever its words: that line is the reason, kept whole too unless it is the report's boilerplate.
  const addressOnly = keepFirst && /^\s*<?[^\s<>]+@[^\s<>]+>?:?\s*$/.test(lines[0] ?? '');
  return lines
    // The recipient's own line is kept whole ("Unable to deliver message to <a@b>. Please check the address.").
    .map((l, j) => (keepFirst && j === 0 ? l.trim() : addressOnly && j === 1 && !BOILERPLATE.test(l) && !URL_ONLY.test(l.trim()) ? l.trim() : lineWords(l.trim())))
    .filter((l) => l && !(replied && RETRY_LINE.test(l) && !ERROR_LINE.test(l) && !SERVER_REPLY.test(l)))
    .slice(0, 8)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// What stands just before an address that is the sender or a message id, not a recipient.
const NOT_A_RECIPIENT = /(?:mail from|from|sender|sent by|envelope-from|message-?id|in-reply-to|references)[:=]?\s*<?$/;

// A line of the original's header fields quoted in the report ("This report relates to a message you sent with the
// following header fields: … To: a@b"): it names the recipient, but the report's words about it come further down.
const QUOTED_FIELD = /^[ \t]*(?:to|cc|bcc|from|subject|date|message-?id|reply-to)[ \t]*:/i;

/**
 * For each recipient of a report without a DSN part: the lines between its address and the next recipient's. `known`
 * are the recipients a DSN part already names: recipients even when their address is a role's (postmaster@ refused).
 */
function readableRecipients(report: string, exclude: Set<string>, addressee: Set<string>, known: Set<string> = new Set()): BounceRecipient[] {
  let found: { address: string; at: number }[] = [];
  const senders = new Set(exclude);
  const all = addressesIn(report);
  for (const m of all) {
    // An address named as the sender (MAIL FROM:<…>, "From:") or a message id is not a recipient, here or later.
    if (NOT_A_RECIPIENT.test(report.slice(Math.max(0, m.index - 16), m.index).toLowerCase())) senders.add(m.address);
  }
  const onFieldLine = (index: number): boolean => QUOTED_FIELD.test(report.slice(report.lastIndexOf('\n', index) + 1, index));
  for (const { address, index } of all) {
    if (!known.has(address) && (senders.has(address) || SYSTEM_SENDER.test(address))) continue;
    const seen = found.find((f) => f.address === address);
    // Its first mention outside a quoted header field, where the report's own words about it are.
    if (!seen) found.push({ address, at: index });
    else if (onFieldLine(seen.at) && !onFieldLine(index) && !found.some((f) => f.at > seen.at && f.at < index)) seen.at = index;
  }
  // The bounce's addressee (the original's sender) quoted in the text would cut a recipient's words in two.
  if (found.some((f) => !addressee.has(f.address))) found = found.filter((f) => !addressee.has(f.address));
  const out: BounceRecipient[] = [];
  found.forEach((r, i) => {
    // From the start of the recipient's line: the words before the address are often the reason.
    const prev = found[i - 1];
    const from = Math.max(report.lastIndexOf('\n', r.at) + 1, prev ? prev.at + prev.address.length : 0);
    const block = report.slice(from, found[i + 1]?.at ?? report.length);
    let text = wordsOf(block, true).replace(/^<?[^\s<>]+@[^\s<>:,]+>?[:,]?\s*/, '').trim();
    if (saysNothing(text, r.address)) {
      // Some reports put the reason before the address ("User mailbox exceeds allowed size: a@b", Notes, IMail).
      const before = report.slice(found[i - 1] ? (found[i - 1]?.at ?? 0) + (found[i - 1]?.address.length ?? 0) : 0, r.at);
      // An address alone on its line under its reason (Lotus Notes: "User not listed in public Name & Address Book"
      // then the address): that line, whatever its words, unless it is a heading or the report's boilerplate.
      const own = report.slice(report.lastIndexOf('\n', r.at) + 1, r.at).trim();
      const above = own ? '' : (before.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? '');
      const lines = wordsOf(before).split(/(?<=[.!。])\s+/);
      text = above && !HEADING.test(above) && !BOILERPLATE.test(above) && !URL_ONLY.test(above) ? above : i === 0 || lines.length > 0 ? (lines.at(-1) ?? '') : '';
      if (saysNothing(text, r.address)) text = '';
    }
    // A session transcript where the server refused an earlier command (">>> MAIL From:<…>" answered "<<< 550 …")
    // before the first recipient is named: that reply is the cause, the recipient's own line only the MTA's summary
    // (and the lines after it its later attempts: "Deferred: Connection timed out …").
    const earlier = i === 0 && text && !/^[ \t]*<<< /m.test(block) ? [...report.slice(0, r.at).matchAll(/^[ \t]*(<<< [45]\d\d\b[^\n]*\p{L}{3}[^\n]*)$/gmu)].at(-1)?.[1] : undefined;
    if (earlier) text = `${earlier.trim()} ${wordsOf(block.split('\n')[0] ?? '', true)}`.trim();
    const status = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(text)?.[0] ?? '';
    out.push({ address: r.address, action: 'failed', status, remoteMta: SERVER_SAID.exec(block)?.[1]?.toLowerCase() ?? '', diagnosticCode: text });
  });
  // Recipients whose block says nothing are addresses merely quoted: dropped unless no one has words.
  const worded = out.filter((r) => r.diagnosticCode);
  const chosen = worded.length > 0 ? worded : out.slice(0, 1);
  // The bounce's own addressee is the sender of the original, unless it bounced to itself and is all there is.
  const others = chosen.filter((r) => !addressee.has(r.address));
  return others.length > 0 ? others : chosen;
}

interface Original {
  subject: string | null;
  date: string | null;
  dateText: string | null;
  /** Who the original was for: its envelope recipient (Received: … for <a@b>), else its To and Cc. */
  recipients: string[];
}

/** The original message, from the attached message or headers part, else from the quoted copy. */
async function original(email: Email, body: string): Promise<Original> {
  const part = email.attachments.find((a) => a.mimeType === 'message/rfc822' || a.mimeType === 'text/rfc822-headers' || a.mimeType === 'message/rfc822-headers');
  const source = part ? textOf(part.content) : quotedOriginal(body);
  if (!source) return { subject: null, date: null, dateText: null, recipients: [] };
  try {
    const inner = await PostalMime.parse(source, { ...PARSE_LIMITS, maxRfc822NestingDepth: 0 });
    const envelope = inner.headers.filter((h) => h.key === 'received').map((h) => /\bfor\s+<?([^\s<>;]+@[^\s<>;]+)>?/i.exec(h.value)?.[1]?.toLowerCase() ?? '').filter(Boolean);
    const listed = [...(inner.to ?? []), ...(inner.cc ?? [])].flatMap((a) => ('address' in a && a.address ? [a.address.toLowerCase()] : []));
    const dateText = inner.headers.find((h) => h.key === 'date')?.value.trim() || null;
    return { subject: inner.subject ?? null, date: inner.date ?? null, dateText, recipients: envelope.length > 0 ? [...new Set(envelope)] : listed };
  } catch {
    return { subject: null, date: null, dateText: null, recipients: [] };
  }
}

/** The recipients a report attached as a message (message/rfc822) names, with its words: none when it is not a report. */
async function attachedReport(email: Email): Promise<BounceRecipient[]> {
  for (const a of email.attachments.filter((x) => x.mimeType === 'message/rfc822')) {
    try {
      const inner = await PostalMime.parse(textOf(a.content), { ...PARSE_LIMITS, maxRfc822NestingDepth: 0 });
      const report = reportText(await bodyText(inner, '')).slice(0, MAX_SCAN_CHARS);
      if (!SERVER_REPLY.test(report)) continue;
      const addressee = new Set((inner.to ?? []).flatMap((x) => ('address' in x && x.address ? [x.address.toLowerCase()] : [])));
      const found = readableRecipients(report, new Set([senderOf(inner).address]), addressee);
      if (found.length > 0) return found;
    } catch {
      // A malformed attachment is just not a report.
    }
  }
  return [];
}

/** A whole delivery report quoted in a body: its header block (a null Return-Path, then up to its multipart/report type). */
const EMBEDDED_REPORT = /^(?:From MAILER-DAEMON[^\n]*\n)?(Return-Path:[ \t]*<>[ \t]*\n(?:(?:[A-Za-z][A-Za-z0-9-]*:|[ \t])[^\n]*\n){0,60}?Content-Type:[ \t]*multipart\/report)/im;

/**
 * Reads a bounce (a whole message: bytes, or text as a user forwards it). Returns null when it is not a message, or
 * is a message that is not a bounce, delay notice, auto-reply or feedback report.
 */
export async function parseBounce(raw: string | Uint8Array, depth = 0): Promise<ParsedBounce | null> {
  const size = typeof raw === 'string' ? raw.length : raw.byteLength;
  if (size > MAX_BOUNCE_BYTES) return null;
  const head = typeof raw === 'string' ? raw.slice(0, 4000) : new TextDecoder('latin1').decode(raw.subarray(0, 4000));
  if (!looksLikeMessage(head)) return null;
  let email: Email;
  try {
    email = await PostalMime.parse(raw, PARSE_LIMITS);
  } catch {
    return null;
  }
  const contentType = headerOf(email, 'content-type').toLowerCase();
  const sender = senderOf(email);
  const body = await bodyText(email, typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw));
  const { recipients: originalRecipients, ...orig } = await original(email, body);

  if (contentType.includes('report-type=feedback-report') || email.attachments.some((a) => a.mimeType === 'message/feedback-report')) {
    const report = email.attachments.find((a) => a.mimeType === 'message/feedback-report');
    const f = fieldsOf(report ? textOf(report.content) : '');
    const address = firstAddress(f.get('original-rcpt-to') ?? f.get('removal-recipient') ?? '');
    const recipients = address ? [{ address, action: '', status: '', remoteMta: f.get('source-ip') ?? '', diagnosticCode: f.get('feedback-type') ?? '' }] : [];
    return { kind: 'feedback', ...orig, recipients, report: '' };
  }

  const dsnText = await findDsn(email, 0);
  // A bounce forwarded inline (a relay's or an ISP's notice with the whole report pasted below a line, as a user
  // forwards one too): the report inside, with its own DSN, says more than the wrapper's words.
  const embedded = dsnText === null && depth < 2 ? EMBEDDED_REPORT.exec(body) : null;
  if (embedded) {
    const inner = await parseBounce(body.slice(embedded.index + (embedded[0].length - (embedded[1]?.length ?? 0))), depth + 1);
    if (inner && inner.recipients.length > 0) return inner;
  }
  let recipients = dsnText !== null ? dsnRecipients(dsnText) : sesRecipients(body);
  const report = reportText(body).slice(0, MAX_SCAN_CHARS);
  const exclude = new Set([sender.address]);
  const addressee = new Set((email.to ?? []).flatMap((a) => ('address' in a && a.address ? [a.address.toLowerCase()] : [])));

  if (recipients.length === 0) {
    const subject = email.subject ?? '';
    const fromSystem = SYSTEM_SENDER.test(sender.address) || BOUNCE_SENDER_NAME.test(sender.name);
    // MTAs mark their bounces Auto-Submitted too: only a person's auto-reply is one.
    if (!BOUNCE_SUBJECT.test(subject) && !fromSystem) return isAutoReply(email) ? { kind: 'auto-reply', ...orig, recipients: [], report: '' } : null;
    recipients = readableRecipients(report, exclude, addressee);
    // Exim and Gmail name the failed recipients in a header too (X-Failed-Recipients): those and no others, with the
    // report's words when its text names them differently (a greeting to the sender, a group's display name).
    const named = addressesIn(headerOf(email, 'x-failed-recipients')).map((a) => a.address);
    if (named.length > 0 && !named.every((a) => recipients.some((r) => r.address === a))) {
      const words = recipients.find((r) => r.diagnosticCode && !addressee.has(r.address))?.diagnosticCode || wordsOf(report);
      recipients = named.map(
        (address) =>
          recipients.find((r) => r.address === address) ?? { address, action: 'failed', status: /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(words)?.[0] ?? '', remoteMta: SERVER_SAID.exec(report)?.[1]?.toLowerCase() ?? '', diagnosticCode: words },
      );
    }
    // No address in the report but the bounce's own addressee (the sender), or a bare local part ("kijitora"): the
    // original message says whom it was for; the report's words are still what the server said.
    // Not when the header named them: a message one sent to oneself bounces to its own recipient.
    if (named.length === 0 && (recipients.length === 0 || recipients.every((r) => addressee.has(r.address))) && originalRecipients.length > 0) {
      const words = recipients[0]?.diagnosticCode || wordsOf(report);
      recipients = originalRecipients.filter((a) => !addressee.has(a)).map((address) => ({ address, action: 'failed', status: /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(words)?.[0] ?? '', remoteMta: SERVER_SAID.exec(report)?.[1]?.toLowerCase() ?? '', diagnosticCode: words }));
    }
    // A gateway's notice about a bounce it relays (a security gateway wrapping the report it was handed): its own
    // words name no server's reply, the attached message is the report that quotes one.
    if (depth < 2 && recipients.length > 0 && !recipients.some((r) => SERVER_REPLY.test(r.diagnosticCode))) {
      const inner = await attachedReport(email);
      for (const r of recipients) {
        const same = inner.find((x) => x.address === r.address && SERVER_REPLY.test(x.diagnosticCode));
        if (same) Object.assign(r, { diagnosticCode: same.diagnosticCode, status: same.status || r.status, remoteMta: same.remoteMta || r.remoteMta });
      }
    }
    const delayed = DELAY_WORDS.test(subject) || (DELAY_WORDS.test(report) && !/permanent|fatal|gave up|given up|giving up|恒久/i.test(report));
    if (delayed && /delay|遅延|warning/i.test(subject)) for (const r of recipients) r.action = 'delayed';
  } else {
    // Fill what the DSN leaves out from the report's words about the same recipient.
    const readable = readableRecipients(report, exclude, addressee, new Set(recipients.map((r) => r.address)));
    for (const r of recipients) {
      const words = readable.find((x) => x.address === r.address) ?? (recipients.length === 1 ? readable[0] : undefined);
      if (!r.diagnosticCode && words?.diagnosticCode) r.diagnosticCode = words.diagnosticCode;
      if (!r.remoteMta && words?.remoteMta) r.remoteMta = words.remoteMta;
      if (!r.diagnosticCode && r.statusNote) {
        r.diagnosticCode = r.statusNote;
        r.diagnosticType = 'x-status';
      }
    }
  }
  const failing = recipients.filter((r) => r.action === 'failed');
  const delayed = recipients.filter((r) => r.action === 'delayed');
  const kind: BounceKind = failing.length === 0 && delayed.length > 0 ? 'delay' : 'failure';
  return { kind, ...orig, recipients, report: report.trim().slice(0, MAX_REPORT_CHARS) };
}

/**
 * Where a reply turns from the cause to the remedies ("… was rejected due to spam classification. To address this
 * issue: * Contact the owner … * Set up SPF records …"): the remedies name other causes (SPF here) that the refusal
 * does not claim, and would speak for them.
 */
const ADVICE = /(?<=[.!:;)]\s*)(?:to (?:address|fix|resolve|correct|remedy|solve) this(?: issue| problem| error)?|how to fix(?: it| this)?|what you can do|possible solutions?)\s*[:\-–]/i;

function withoutAdvice(words: string): string {
  const m = ADVICE.exec(words);
  return m && m.index >= 20 ? words.slice(0, m.index).trim() : words;
}

/** The words the engine should read for one recipient: the server's reply, with the DSN status when the reply lacks it. */
export function recipientText(r: BounceRecipient): string {
  const words = withoutAdvice(r.diagnosticCode);
  if (!words) return r.status ? `Status: ${r.status}` : '';
  // The reporting MTA's own account (a Diagnostic-Code of type X-Postfix, X-Unix …, not a remote server's reply) of a
  // network or routing failure (RFC 3463 X.4.X: no answer from host, bad connection, unable to route, delivery time
  // expired): its Status is the verdict. "connect to mx.example.jp[192.0.2.1]:25: Connection timed out" there is the
  // sending server failing to reach the recipient's, which its words alone would read as the sender's port 25 blocked.
  if (r.diagnosticType && r.diagnosticType !== 'smtp' && /^[45]\.4\.\d{1,3}$/.test(r.status)) return `Status: ${r.status}`;
  // The DSN's status only where the server's reply has none: Sendmail files "550 5.7.1 IP address blacklisted" under
  // Status 5.1.1, and the server's own code is the one to believe; x.0.0 ("other or undefined") adds nothing.
  return r.status && !/\.0\.0$/.test(r.status) && !/\b[245]\.\d{1,3}\.\d{1,3}\b/.test(words) ? `${words} (${r.status})` : words;
}

function isProblem(r: BounceRecipient, kind: BounceKind): boolean {
  return kind === 'delay' ? r.action === 'delayed' : kind === 'failure' && r.action === 'failed';
}

/** The recipients a bounce is about: the failed ones of a failure, the delayed ones of a delay notice. */
export function problemRecipients<R extends BounceRecipient>(bounce: { kind: BounceKind; recipients: R[] }): R[] {
  return bounce.recipients.filter((r) => isProblem(r, bounce.kind));
}

interface Compiled {
  reading: BounceReading;
  commands: { re: RegExp; command: string }[];
}

const compiled = new WeakMap<BounceReading, Compiled>();

function compile(reading: BounceReading): Compiled {
  let c = compiled.get(reading);
  if (!c) {
    c = { reading, commands: reading.commands.map((x) => ({ re: new RegExp(x.pattern, 'im'), command: x.command })) };
    compiled.set(reading, c);
  }
  return c;
}

/** The command a text names as refused, by the MTA report templates of knowledge/bounces.yaml. */
function commandIn(c: Compiled, text: string): string {
  for (const { re, command } of c.commands) {
    const m = re.exec(text);
    if (!m) continue;
    // A pattern may name the command in one of several groups (one per template it covers): the one that matched.
    const named = command === '$1' ? (m.slice(1).find(Boolean) ?? '').toLowerCase().replace(/\s+/g, ' ') : command;
    return c.reading.aliases[named] ?? named.toUpperCase();
  }
  return '';
}

/**
 * The command refused for one recipient: named in its own words, else in the report's lines about it (from its
 * address to the next recipient's), else, when it is the only recipient the report is about, anywhere in the report.
 */
export function recipientCommand(index: EngineIndex, bounce: ParsedBounce, r: BounceRecipient): string {
  const reading = index.kb.bounces;
  if (!reading) return '';
  const c = compile(reading);
  const own = commandIn(c, r.diagnosticCode);
  if (own) return own;
  const { lower, starts, single } = layout(bounce);
  const at = lower.indexOf(r.address.toLowerCase());
  if (at >= 0) {
    // Up to the next recipient's first mention (binary search: a DSN may list thousands), or 2,000 characters.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    const end = Math.min(at + 2000, starts[lo] ?? Number.POSITIVE_INFINITY);
    const found = commandIn(c, bounce.report.slice(bounce.report.lastIndexOf('\n', at) + 1, end));
    if (found) return found;
  }
  return single ? commandIn(c, bounce.report) : '';
}

const layouts = new WeakMap<ParsedBounce, { lower: string; starts: number[]; single: boolean }>();

/** Where each recipient is first named in the report, sorted, and whether the bounce is about one recipient: once per bounce. */
function layout(bounce: ParsedBounce): { lower: string; starts: number[]; single: boolean } {
  let l = layouts.get(bounce);
  if (!l) {
    const lower = bounce.report.toLowerCase();
    const starts = [...new Set(bounce.recipients.map((x) => lower.indexOf(x.address.toLowerCase())).filter((i) => i >= 0))].sort((a, b) => a - b);
    l = { lower, starts, single: new Set(problemRecipients(bounce).map((x) => x.address)).size <= 1 };
    layouts.set(bounce, l);
  }
  return l;
}

/**
 * The RFC 3463 codes that speak for a recipient, as X.subject.detail and as written: the server's own in its reply
 * (all of them: a relay wraps the remote's "5.2.2 …" in its own "5.1.0 …"), else the DSN's Status. (The DSN's is
 * not mixed in when the reply has its own: Sendmail files "550 5.7.1 IP address blacklisted" under Status 5.1.1.)
 */
function statusesOf(r: BounceRecipient): { key: string; exact: string }[] {
  // X.0.0 is "other or undefined": it says nothing, and leaves the word to the DSN's Status.
  const own = [...r.diagnosticCode.matchAll(/\b([245])\.(\d{1,3})\.(\d{1,3})\b/g)].filter((c) => Number(c[2]) !== 0 || Number(c[3]) !== 0);
  const dsn = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(r.status);
  const codes = own.length > 0 ? own : dsn ? [dsn] : [];
  return codes.map((c) => {
    const rest = `${Number(c[2])}.${Number(c[3])}`;
    return { key: `X.${rest}`, exact: `${c[1]}.${rest}` };
  });
}

/** The reply code the server's words start with ("550 …", "host … said: 521 …"). */
function replyCode(r: BounceRecipient): string {
  return /(?:^|said:\s*|:\s)([45]\d\d)(?=[\s-])/.exec(r.diagnosticCode)?.[1] ?? '';
}

/**
 * What a recipient's bounce means when its structure says more than its words (knowledge/bounces.yaml): a status or
 * reply code specific enough to decide, the stage the session was refused at, a client-side reading no server's bounce
 * can mean, or a status that names the cause where the words are vague. Null when the words' answer stands.
 */
export function bounceVerdict(index: EngineIndex, r: BounceRecipient, command: string, category: CategoryId, guessed = false): { category: CategoryId; entry?: string; by: NonNullable<RecipientDiagnosis['decidedBy']> } | null {
  const reading = index.kb.bounces;
  if (!reading) return null;
  const codes = statusesOf(r);
  const decisive = codes.find((c) => reading.status[c.key] && (reading.decisive.includes(c.key) || reading.decisive.includes(c.exact)));
  const byDecisive = decisive ? (reading.status[decisive.key] as CategoryId) : undefined;
  if (byDecisive && byDecisive !== category) return { category: byDecisive, by: 'status' };
  const mapped = codes.find((c) => reading.status[c.key]);
  const byStatus = mapped ? (reading.status[mapped.key] as CategoryId) : undefined;
  const subjects = codes.map((c) => c.key.split('.').slice(0, 2).join('.'));
  const stage = command
    ? reading.stages.find((s) => s.commands.includes(command) && s.from.includes(category) && !(s.unless ?? []).some((u) => subjects.includes(u)) && !(s.unlessWords && new RegExp(s.unlessWords, 'iu').test(r.diagnosticCode)))
    : undefined;
  if (stage) return { category: stage.to as CategoryId, entry: stage.entry, by: 'stage' };
  // A category the words only suggest to the model (no phrase, code or combination of the knowledge fired) is no
  // stronger than a weak one: a status or reply code that names a cause is the better witness.
  const weak = guessed || reading.weak.includes(category);
  if (byStatus && byStatus !== category && weak) return { category: byStatus, by: 'status' };
  const byReply = reading.replies[replyCode(r)] as CategoryId | undefined;
  if (byReply && byReply !== category && weak) return { category: byReply, by: 'reply' };
  const words = r.diagnosticCode.toLowerCase();
  const named = reading.named.find((n) => n.from.includes(category) && (words.includes(r.address.toLowerCase()) || new RegExp(n.words, 'iu').test(words)));
  if (named) return { category: named.to as CategoryId, entry: named.entry, by: 'bounce' };
  const client = reading.client[category] as CategoryId | undefined;
  if (client) return { category: client, by: 'bounce' };
  return null;
}

/**
 * A remote server's reply that a phrase, combination or error code of the knowledge names, where the model alone read
 * it as another category: in a bounce the reply is the server's own template, which the knowledge's phrases are
 * written from, and the model's guess from its other words ("Ip frequency limited … Blocked IP" read as a blocklisting)
 * is the weaker witness. Null when no rule names a category, or the words' category is the rules' too.
 */
function rulesVerdict(index: EngineIndex, text: string, category: CategoryId): { category: CategoryId; entry: string; by: 'rules' } | null {
  if (!text) return null;
  const best = judge(index, text).rules.find((x) => x.strong && x.evidence.some((e) => e.kind === 'phrase' || e.kind === 'error-code'));
  return best && best.entry.category !== category ? { category: best.entry.category, entry: best.entry.id, by: 'rules' } : null;
}

/** Whether a diagnosis rests on the model alone, or on a bare reply code: no phrase, code or combination of an entry fired. */
export function guessedOnly(d: Diagnosis): boolean {
  return !d.evidence.some((e) => e.kind !== 'model' && e.kind !== 'reply-code');
}

/** The entry to explain a category decided by a bounce's structure: the one named, the engine's runner-up, or the category's first. */
function entryOf(index: EngineIndex, d: Diagnosis, category: CategoryId, named?: string): KnowledgeEntry | null {
  const byId = (id: string | undefined): KnowledgeEntry | undefined => (id ? index.kb.entries.find((e) => e.id === id && e.category === category) : undefined);
  return byId(named) ?? byId(d.alternatives.find((a) => a.category === category)?.entry) ?? defaultEntry(index, category) ?? null;
}

/** A diagnosis with the category (and its entry) a bounce's structure decided; the words' own answer becomes the first alternative. */
export function overrule(index: EngineIndex, d: Diagnosis, verdict: { category: CategoryId; entry?: string }): Diagnosis {
  const entry = entryOf(index, d, verdict.category, verdict.entry);
  if (!entry) return d;
  const before = d.entry && d.category !== 'unknown' ? [{ category: d.category, entry: d.entry.id, confidence: d.confidence }] : [];
  return {
    ...d,
    category: verdict.category,
    entry,
    // A failed delivery is always worth an answer; the structure that decided is as sure as the words were.
    confidence: Math.max(d.confidence, RESPOND_FLOOR),
    respond: true,
    alternatives: [...before, ...d.alternatives.filter((a) => a.category !== verdict.category && a.category !== d.category)].slice(0, 3),
  };
}

/** The confidence given to an answer a bounce's structure decided. */
export const RESPOND_FLOOR = 0.6;

/** What classify() answers: the fields of the `classify --jsonl` contract. */
export type ClassifyAnswer = ReturnType<typeof classify>;

/** overrule() for classify's lighter answer (`classify --jsonl`), when the structure decided another category. */
export function overruleAnswer(a: ClassifyAnswer, verdict: { category: CategoryId; entry?: string }): ClassifyAnswer {
  if (verdict.category === a.category) return a;
  return { ...a, category: verdict.category, entry: verdict.entry ?? null, confidence: Math.max(a.confidence, RESPOND_FLOOR), respond: true };
}

/** Whether a text is a reply or status code and nothing more (its addresses and "deferred" aside). */
function bareCode(text: string): boolean {
  if (!/\b[45]\d\d\b|\b[45]\.\d{1,3}\.\d{1,3}\b/.test(text)) return false;
  const rest = text
    .replace(/<?[^\s<>@]+@[^\s<>]+>?/g, '')
    .replace(/\b[245]\d\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b/g, '')
    .replace(/\b(?:deferred|delayed|status|smtp|said|reply)\b/gi, '');
  return rest.replace(/[^\p{L}]+/gu, '').length < 4;
}

/** The parsed bounce with each recipient's text diagnosed by the ordinary engine, then bounded by its structure. */
export function diagnoseBounce(index: EngineIndex, bounce: ParsedBounce, lang?: Lang): BounceAnalysis {
  // A mailing to thousands bounces with the same words for most: each distinct text is read once.
  const read = new Map<string, Diagnosis>();
  const recipients = bounce.recipients.map((r): RecipientDiagnosis => {
    // A recipient that was delivered has nothing to diagnose: its "2.0.0 OK" is no error of any kind.
    const problem = isProblem(r, bounce.kind);
    const text = problem ? recipientText(r) : '';
    let d = read.get(text) ?? diagnose(index, text, lang ? { lang } : {});
    read.set(text, d);
    const command = recipientCommand(index, bounce, r);
    const guessed = guessedOnly(d);
    let verdict = problem && bounce.kind === 'failure' ? bounceVerdict(index, r, command, d.category, guessed) : null;
    if (problem && bounce.kind === 'failure' && !verdict && guessed) {
      // The rules' category is bounded by the structure as the words' would be (a refusal at HELO, the recipient named).
      const byRules = rulesVerdict(index, text, d.category);
      if (byRules) verdict = bounceVerdict(index, r, command, byRules.category) ?? byRules;
    }
    // A delay notice whose server said nothing but a code ("Deferred: 421"): a deferral, not whatever cause a bare
    // code suggests (421 is also what throttling servers answer).
    if (problem && bounce.kind === 'delay' && bareCode(text) && d.category !== 'temporary-failure') verdict = { category: 'temporary-failure', by: 'bounce' };
    if (verdict) d = overrule(index, d, verdict);
    // What is echoed back is redacted like a paste: a bounce of a log may quote an AUTH line.
    return { ...r, diagnosticCode: redact(r.diagnosticCode), category: d.category, entry: d.entry?.id ?? null, diagnosis: d, command, ...(verdict && d.category === verdict.category ? { decidedBy: verdict.by } : {}) };
  });
  return { ...bounce, recipients, failed: recipients.filter((r) => isProblem(r, bounce.kind)).length };
}

/**
 * The answer a bounce's structure gives for the whole bounce: the category its failed recipients' verdicts agree on,
 * when the structure decided for at least one of them and every failed recipient ends in that category. Null otherwise
 * (the words of the decisive text stand).
 */
export function structuralAnswer(bounce: BounceAnalysis): { category: CategoryId; entry?: string } | null {
  const failed = problemRecipients(bounce);
  if (failed.length === 0 || !failed.some((r) => r.decidedBy)) return null;
  const categories = new Set(failed.map((r) => r.category));
  const first = failed.find((r) => r.decidedBy);
  return categories.size === 1 && first ? { category: first.category, ...(first.entry ? { entry: first.entry } : {}) } : null;
}

/**
 * The one text that decides what a bounce is about: the failed (or, in a delay notice, delayed) recipients'
 * diagnostic texts, each once. Null for an auto-reply, a feedback report, or a bounce with no words in it.
 */
export function decisiveText(bounce: ParsedBounce): string | null {
  if (bounce.kind !== 'failure' && bounce.kind !== 'delay') return null;
  const texts = [...new Set(bounce.recipients.filter((r) => isProblem(r, bounce.kind)).map(recipientText).filter(Boolean))];
  return texts.length > 0 ? texts.join('\n') : null;
}

/**
 * The texts to read for a bounce, most telling first: the failed recipients' words, then the report's prose. A
 * reader takes the first the engine can explain, else the first: never the quoted original, whose headers
 * (DKIM-Signature, Authentication-Results …) would speak for a failure they had no part in.
 */
export function bounceReadings(bounce: ParsedBounce): string[] {
  return [decisiveText(bounce), bounce.kind === 'failure' || bounce.kind === 'delay' ? bounce.report : null].filter((t): t is string => Boolean(t?.trim()));
}

/**
 * For a classifier handed a whole message as text: the text to read instead (see bounceReadings), or null when the
 * text is not a failure or delay bounce, so that the caller reads it as it is. The hook of `classify --jsonl`.
 */
export async function bounceTextFor(index: EngineIndex, text: string): Promise<string | null> {
  return (await bounceReadFor(index, text))?.text ?? null;
}

/** bounceTextFor with the answer the bounce's structure gives (see structuralAnswer), when it gives one. */
export async function bounceReadFor(index: EngineIndex, text: string): Promise<{ text: string | null; answer: { category: CategoryId; entry?: string } | null } | null> {
  if (!looksLikeMessage(text)) return null;
  const bounce = await parseBounce(text);
  if (!bounce) return null;
  const readings = bounceReadings(bounce);
  const chosen = readings.find((t) => diagnose(index, t).category !== 'unknown') ?? readings[0] ?? null;
  return { text: chosen, answer: bounce.kind === 'failure' || bounce.kind === 'delay' ? structuralAnswer(diagnoseBounce(index, bounce)) : null };
}
