/**
 * Reads the structure of a paste: reply codes, RFC 3463 enhanced status codes, error codes, ports, hosts,
 * addresses and the SMTP command that failed. Structure is read before prose (see rank.ts).
 */
import type { Signals } from './types.js';

// 5.7.1 but not the middle of 4.16.55.1 or an IP address.
const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d])(?!\.\d)/g;
// A reply code where servers and clients print one: line start, after "said:", "(550,", "SMTP; 550", "550-", "550 5.".
const REPLY = /(?:^|[\s(\[;:'"=>「『（])([245][0-5]\d)(?=[\s\-,)'"\]」』）]|$)/gm;
// Things shaped like error codes, even when no knowledge entry knows them (shown as evidence).
// Whole tokens only: `EXAMPLE` in `SMTP.EXAMPLE.JP` is a piece of a host name, not an errno. Capital words of the
// E-shape that are no codes are left out: SMTP's own keywords (`220 mx ESMTP`, `EHLO`), a log line's level (`ERROR`,
// Italian `ERRORE`, Go's `ERRO`), settings' names (`EMAIL_HOST`, `ENCRYPTION_STARTTLS`) and a security suite's name
// (`ESET`). Read as codes, they made every greeting, log line and pasted configuration look like a reported error (1 in
// 30 of the bench's real lines).
const NOT_A_CODE = '(?!(?:EHLO|ESMTP[A-Z]*|ETRN|EXPN|ENHANCEDSTATUSCODES|ENVID|ERROR|ERRORE|ERRO|ERREUR|EMAIL[A-Z0-9_]*|ENCRYPTION[A-Z0-9_]*|ENABLE[A-Z0-9_]*|EXAMPLE|EXPIRED|EXCHANGE|ESET)(?![\\w-]|\\.[A-Za-z0-9]))';
const ERROR_CODE = new RegExp(
  `(?<![\\w.-])(${NOT_A_CODE}E[A-Z]{3}[A-Z0-9_]*|EAI_[A-Z]+|ERR_[A-Z0-9_]+|NS_ERROR_[A-Z_]+|WSAE[A-Z]+|0x[0-9A-Fa-f]{8}|[A-Z][A-Za-z]+(?:Error|Exception))(?![\\w-]|\\.[A-Za-z0-9])`,
  'g',
);
const EMAIL = /(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const HOST = /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}(?:[a-z]{2,24}|xn--[a-z0-9-]+)(?![\w-])/gi;
const CODE_FILE = /\.(?:js|ts|mjs|cjs|py|rb|php|java|go|c|h|cc|cpp|cs|rs|json|yaml|yml|txt|log|html|htm|md|properties|dll|exe|so)$/i;
const PORT =
  /(?:\bport\s*(?:number\s*)?(?:is\s+|[:=#]\s*|(?:back\s+)?to\s+)?|ポート(?:番号)?\s*(?:(?:[:：]|は|が|を)\s*)?|(?<=(?:\d\.\d{1,3}|[a-z]\.[a-z]{2,24}|\]):)|(?<=\.[a-z]{2,24}['"],\s{0,8}))(\d{2,5})\b/gi;
// Japanese puts the number first: 「25番ポート」「587 番のポート」.
const PORT_JA = /(?<!\d)(\d{2,5})\s*(?:番\s*(?:の\s*)?(?:ポート)?|ポート)/g;
// `telnet smtp.example.jp 25`, `nc -v host 587`, `openssl s_client -connect host:465` (the last is the colon form).
const PORT_CMD = /\b(?:telnet|nc|ncat|netcat)\s+(?:-\w+\s+)*[\w.-]+\s+(\d{2,5})\b/gi;
// Country codes and the generic TLDs mail hosts use; keeps `TCPConnectWrap.afterConnect` out of the host list.
const TLD = /\.(?:[a-z]{2}|com|net|org|edu|gov|mil|int|info|biz|io|app|dev|cloud|email|mail|online|site|xyz|tech|test|invalid|example|local|localhost|arpa|xn--[a-z0-9-]+)$/;
const COMMAND =
  /\b(?:in reply to|after|command:?)\s*['"]?(rcpt to|mail from|end of data|data|ehlo|helo|auth(?: plain| login| xoauth2| cram-md5)?|starttls|conn|quit)\b/i;

// Bracketed values (<a@b>, [192.0.2.1]) and quoted ones ("smtp.example.jp", 'x'), as clients put them in sentences.
const BRACKETED = /<[^<>\s]{1,254}>|\[[0-9a-f:.]{2,45}\]/gi;
const QUOTED = /"[^"\n]{1,120}"|“[^”\n]{1,120}”|'[^'\n]{1,120}'/g;
const HOST_PORT = new RegExp(`${HOST.source}(?::\\d{1,5})?`, 'gi');
const IPV4_PORT = new RegExp(`${IPV4.source}(?::\\d{1,5})?`, 'g');

/**
 * The quoted parts taken out of a text whose identifiers are already masked (`maskIdentifiers`): together, the values
 * software puts inside its sentences, so that one phrase covers every instance of a message template —
 * 送信サーバ"smtp.example.jp"への接続に失敗 and "The recipient "x@example.org" was rejected" read as the bare sentence.
 */
export function maskQuoted(identifiersMasked: string): string {
  return identifiersMasked.replace(QUOTED, ' ');
}

// `postfix/smtp[10054]`, `sshd[2211]`: a number in brackets right after a program name is its process id, not an error
// code (WinSock 10054) or a port.
const PROCESS_ID = /([A-Za-z0-9_)])\[\d{1,7}\]/g;

/** The text with process ids taken out, for everything that reads numbers as codes. */
export function withoutProcessIds(lower: string): string {
  return lower.includes('[') ? lower.replace(PROCESS_ID, '$1 ') : lower;
}

/** Addresses, host names and IPs taken out, quoted text kept: what the learned model reads (a quote is often the error). */
export function maskIdentifiers(lower: string): string {
  // Each pattern only where the character it cannot match without is there: most lines hold no '@', '<' or '[', and
  // no host name (a '.' then a letter); a search for a character costs a fraction of the pattern's scan.
  let out = lower.includes('<') || lower.includes('[') ? lower.replace(BRACKETED, ' ') : lower;
  if (out.includes('@')) out = out.replace(EMAIL, ' ');
  out = out.replace(IPV4_PORT, ' ');
  return DOT_LETTER.test(out) ? out.replace(HOST_PORT, ' ') : out;
}

/** What every host name holds: a dot, then a letter. */
const DOT_LETTER = /\.[a-z]/i;
/**
 * What every match of PORT holds: 'port', 'ポート', or two digits right after ':' (its look-behind forms) or after a
 * quote, a comma and spaces. Most lines have none of them, and PORT (look-behinds tried at every character) is dear.
 */
const PORT_HINT = /port|ポート|:\d\d|['"],\s{0,8}\d\d/i;

/** Every match of a global pattern, as matchAll gives them, without the copy of the pattern matchAll makes at each call. */
function matches(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** `codes` reads only what a diagnosis is decided on (codes and ports), not the hosts and addresses a reply shows. */
export function extractSignals(text: string, lower: string, what: 'all' | 'codes' = 'all'): Signals {
  const statusCodes = uniq(matches(STATUS, lower).map((m) => `${m[1]}.${Number(m[2])}.${Number(m[3])}`));
  const replyCodes = uniq(matches(REPLY, lower).map((m) => Number(m[1])));
  // Error codes and ports are gathered one by one, not by map() and filter() over the matches: the lists of matches
  // are empty or not, of one kind of array or another, and map() over them had this function compiled anew every few
  // thousand lines of `classify --jsonl`.
  const errorCodes: string[] = [];
  // Every error code holds an 'E' (E…, ERR_, NS_ERROR_, WSAE…, …Error, …Exception) or is 0x…: most lines skip the scan.
  if (text.includes('E') || text.includes('0x')) {
    for (const m of matches(ERROR_CODE, text)) {
      const code = m[1] ?? '';
      if (code.length > 0 && !errorCodes.includes(code)) errorCodes.push(code);
    }
  }
  const ports: number[] = [];
  const addPorts = (found: RegExpExecArray[]): void => {
    for (const m of found) {
      const port = Number(m[1]);
      if (port > 0 && port < 65536 && !ports.includes(port)) ports.push(port);
    }
  };
  if (PORT_HINT.test(text)) addPorts(matches(PORT, text));
  if (text.includes('番') || text.includes('ポート')) addPorts(matches(PORT_JA, text));
  addPorts(matches(PORT_CMD, text));
  // One shape for every answer, `command` always there (undefined when there is none): the engine's functions read
  // both kinds, and an object of another shape now and then (a whole reading among code-only ones, as a bounce among
  // the lines of `classify --jsonl` brings) had them compiled anew each time.
  if (what === 'codes') return { replyCodes, statusCodes, errorCodes, ports, hosts: [], addresses: [], command: undefined };
  const addresses = uniq(matches(EMAIL, text).map((m) => m[0]));
  const ips = uniq(matches(IPV4, text).map((m) => m[0]));
  const hosts = uniq(
    matches(HOST, lower)
      .map((m) => m[0])
      .filter((h) => TLD.test(h) && !CODE_FILE.test(h) && !/^\d+(\.\d+)*$/.test(h) && !addresses.some((a) => a.toLowerCase().endsWith(`@${h}`))),
  ).slice(0, 20);
  return {
    replyCodes,
    statusCodes,
    errorCodes,
    ports,
    hosts,
    addresses: [...addresses, ...ips].slice(0, 20),
    command: COMMAND.exec(lower)?.[1]?.toUpperCase() || undefined,
  };
}
