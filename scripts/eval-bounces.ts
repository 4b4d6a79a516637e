/**
 * Measures bounce reading on the real bounces of sisimai's test corpus (sisimai/set-of-emails, maildir/bsd), against
 * sisimai's own verdict per file (Debian's libsisimai-perl, `Sisimai->make`): the bounces whose recipients share one
 * reason, that reason mapped to our categories.
 *
 *   SISIMAI_SET_DIR=/path/to/set-of-emails npx tsx scripts/eval-bounces.ts [--corpus test/fixtures/sisimai-bounces.jsonl] [--misses]
 *
 * Reports category accuracy through `classify --jsonl` (the whole file's bytes as UTF-8 text, as a user forwards it)
 * and through `diagnose --file`, and whether the failed recipients are named right. Without the checkout or without
 * sisimai it says so and exits 0. Reads local files only; sends nothing anywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyLine } from '../src/cli/classify.js';
import { problemRecipients, recipientText } from '../src/engine/bounce.js';
import { buildIndex } from '../src/engine/index.js';
import { detectLang } from '../src/engine/normalize.js';
import { analyzeFile } from '../src/files/analyze.js';
import { loadKnowledge } from '../src/knowledge/load.js';

/** sisimai's reasons (lower case, as `$fact->reason` gives them) → the categories that count as the same answer. */
export const REASON_MAP: Record<string, string[]> = {
  userunknown: ['recipient-unknown'],
  suspend: ['recipient-unknown'],
  hostunknown: ['recipient-domain-invalid'],
  notaccept: ['recipient-domain-invalid'],
  mailboxfull: ['mailbox-full'],
  mesgtoobig: ['message-too-large'],
  exceedlimit: ['message-too-large'],
  norelaying: ['relay-denied'],
  spamdetected: ['spam-content'],
  virusdetected: ['spam-content'],
  blocked: ['ip-reputation'],
  requireptr: ['ip-reputation'],
  badreputation: ['ip-reputation'],
  toomanyconn: ['rate-limited'],
  speeding: ['rate-limited'],
  rejected: ['sender-rejected'],
  expired: ['temporary-failure', 'smtp-unreachable'],
  authfailure: ['sender-authentication'],
};

interface SisimaiFact {
  recipient: string;
  reason: string;
  agent: string;
}

const PERL = `use strict; use warnings; use Sisimai; use JSON::PP;
my $dir = shift; my $js = JSON::PP->new->canonical;
opendir(my $dh, $dir) or die "cannot read $dir";
for my $f (sort grep { /\\.eml$/ } readdir $dh) {
  my $v = eval { Sisimai->make("$dir/$f", delivered => 1) } || [];
  print $js->encode({ file => $f, facts => [map { { recipient => $_->recipient->address, reason => $_->reason, agent => $_->smtpagent } } @$v] }), "\\n";
}`;

function sisimaiFacts(dir: string): Map<string, SisimaiFact[]> | string {
  let out: string;
  try {
    out = execFileSync('perl', ['-e', PERL, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return `sisimai could not be run (apt-get install libsisimai-perl): ${(err as Error).message.split('\n')[0]}`;
  }
  const facts = new Map<string, SisimaiFact[]>();
  for (const line of out.trim().split('\n')) {
    const row = JSON.parse(line) as { file: string; facts: SisimaiFact[] };
    facts.set(row.file, row.facts);
  }
  return facts;
}

/**
 * Whether a recipient's text is a fair training case for its mapped category: the server's own words (not a bare
 * status, not a whole page of boilerplate), and not one where sisimai's reason and ours part ways — sisimai files SPF,
 * DKIM and DMARC failures under Blocked, which is our sender-authentication, not ip-reputation.
 */
function usableForTraining(text: string, reason: string): boolean {
  if (text.replace(/[^\p{L}]+/gu, '').length < 8 || text.length > 400) return false;
  // A heading with nothing after it ("Technical details of permanent failure:") or DSN fields are not the server's words.
  if (/:\s*$/.test(text) || /\b(?:sender|remote|reporting)-mta:/i.test(text)) return false;
  if (/\b(?:spf|dkim|dmarc)\b|5\.7\.2[3-7]\b/i.test(text) && reason !== 'authfailure') return false;
  return true;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const root = process.env.SISIMAI_SET_DIR ?? arg('--set');
  const dir = root ? join(root, 'maildir', 'bsd') : undefined;
  if (!dir || !existsSync(dir)) {
    console.log('eval-bounces: skipped — set SISIMAI_SET_DIR to a checkout of sisimai/set-of-emails (with maildir/bsd)');
    return 0;
  }
  const facts = sisimaiFacts(dir);
  if (typeof facts === 'string') {
    console.log(`eval-bounces: skipped — ${facts}`);
    return 0;
  }
  const index = buildIndex(loadKnowledge());
  const corpusPath = arg('--corpus');
  const showMisses = process.argv.includes('--misses');
  const corpus: string[] = [];
  const seenTexts = new Set<string>();
  let cases = 0;
  let classifyRight = 0;
  let fileRight = 0;
  let recipientsRight = 0;
  const perReason = new Map<string, { n: number; classify: number; file: number }>();
  const perAgent = new Map<string, { n: number; file: number; recipients: number }>();
  const misses: string[] = [];

  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
    const list = facts.get(file) ?? [];
    const reasons = new Set(list.map((f) => f.reason));
    const reason = [...reasons][0];
    if (list.length === 0 || reasons.size !== 1 || !reason) continue;
    const accept = REASON_MAP[reason];
    if (!accept) continue;
    cases++;
    const bytes = readFileSync(join(dir, file));
    const tally = perReason.get(reason) ?? { n: 0, classify: 0, file: 0 };
    tally.n++;

    const viaClassify = JSON.parse(await classifyLine(index, JSON.stringify({ text: bytes.toString('utf8') }))) as { category: string };
    if (accept.includes(viaClassify.category)) {
      classifyRight++;
      tally.classify++;
    }
    const viaFile = await analyzeFile(index, { name: file }, bytes);
    const fileCategory = viaFile.ok ? viaFile.analysis.diagnosis.category : `(${viaFile.problem})`;
    if (accept.includes(fileCategory)) {
      fileRight++;
      tally.file++;
    }
    const expected = [...new Set(list.map((f) => f.recipient.toLowerCase()))].sort();
    const named = viaFile.ok && viaFile.bounce ? [...new Set(problemRecipients(viaFile.bounce).map((r) => r.address))].sort() : [];
    const agent = perAgent.get(list[0]?.agent ?? '?') ?? { n: 0, file: 0, recipients: 0 };
    agent.n++;
    if (accept.includes(fileCategory)) agent.file++;
    if (expected.join(',') === named.join(',')) {
      recipientsRight++;
      agent.recipients++;
    }
    perAgent.set(list[0]?.agent ?? '?', agent);
    perReason.set(reason, tally);

    if (showMisses && (!accept.includes(fileCategory) || !accept.includes(viaClassify.category) || expected.join(',') !== named.join(','))) {
      const words = viaFile.ok && viaFile.bounce ? viaFile.bounce.recipients.map(recipientText).join(' | ') : '(not read as a bounce)';
      misses.push(`${file}\t${reason}\tclassify=${viaClassify.category}\tfile=${fileCategory}\trcpt=${named.join(',')} want ${expected.join(',')}\n    ${words.slice(0, 300)}`);
    }
    if (corpusPath && viaFile.ok && viaFile.bounce && accept.length === 1) {
      const agent = list[0]?.agent ?? 'unknown';
      for (const r of viaFile.bounce.recipients) {
        // The server's words as the bounce gives them (no status appended: the line says [verbatim]).
        const text = r.diagnosticCode;
        if (!usableForTraining(text, reason) || seenTexts.has(text)) continue;
        seenTexts.add(text);
        corpus.push(JSON.stringify({ text, accept, lang: detectLang(text), source: `[verbatim] sisimai/set-of-emails maildir/bsd/${file} (${agent})` }));
      }
    }
  }

  const pct = (n: number): string => (cases ? (n / cases).toFixed(3) : '-');
  console.log(`eval-bounces: ${cases} bounces whose recipients share one mapped reason (sisimai/set-of-emails maildir/bsd)`);
  console.log(`  classify --jsonl (whole file as text): ${classifyRight}/${cases} = ${pct(classifyRight)}`);
  console.log(`  diagnose --file:                       ${fileRight}/${cases} = ${pct(fileRight)}`);
  console.log(`  failed recipients named right:         ${recipientsRight}/${cases} = ${pct(recipientsRight)}`);
  for (const [reason, t] of [...perReason].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`    ${reason.padEnd(14)} n=${String(t.n).padStart(3)}  classify ${(t.classify / t.n).toFixed(2)}  file ${(t.file / t.n).toFixed(2)}`);
  }
  console.log('  by MTA or service (sisimai\'s name): n, diagnose --file, recipients');
  const agents = [...perAgent].sort((a, b) => b[1].n - a[1].n);
  console.log(agents.map(([name, t]) => `    ${name} ${t.n} ${(t.file / t.n).toFixed(2)} ${(t.recipients / t.n).toFixed(2)}`).join('\n'));
  if (showMisses) console.log(misses.join('\n'));
  if (corpusPath) {
    writeFileSync(corpusPath, `${corpus.join('\n')}\n`);
    console.log(`  wrote ${corpus.length} labelled diagnostic texts to ${corpusPath}`);
  }
  return 0;
}

process.exitCode = await main();
