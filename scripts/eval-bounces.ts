/**
 * Measures bounce reading on the real bounces of sisimai's test corpus (sisimai/set-of-emails, maildir/bsd), against
 * sisimai's own verdict per file (`Sisimai->rise`, or `->make` before sisimai 5): the bounces whose recipients share
 * one reason, that reason mapped to our categories.
 *
 *   SISIMAI_SET_DIR=/path/to/set-of-emails [SISIMAI_LIB=/path/to/p5-sisimai/lib] npx tsx scripts/eval-bounces.ts \
 *     [--honest] [--misses] [--corpus test/fixtures/sisimai-bounces.jsonl]
 *
 * The judge is the sisimai Perl finds: Debian's libsisimai-perl is 4.25, which predates the reasons AuthFailure,
 * RequirePTR, BadReputation and Speeding that the issue's mapping names (it files SPF/DMARC refusals under Blocked or
 * PolicyViolation); SISIMAI_LIB points Perl at a checkout of sisimai 5 (github.com/sisimai/p5-sisimai, lib/) instead.
 * Reports category accuracy through `classify --jsonl` (the whole file's bytes as UTF-8 text, as a user forwards it)
 * and through `diagnose --file`, per reason and as a confusion list, and whether the failed recipients are named
 * right. The shipped model has learnt from these bounces' texts (test/fixtures/sisimai-bounces.jsonl and others): its
 * figure is in-sample. --honest also scores the held-out figure that is the headline: per MTA group, a model trained
 * without any case from sisimai's world (set-of-emails, its issues and tables), without any case of the bounce's MTA
 * family, and without any case sharing a 40-character line with the group's bounces, the rules lacking the phrases
 * only those cases set off (grouped cross-validation, as `npm run eval` holds out whole families). Without the
 * checkout or without sisimai it says so and exits 0. Reads local files only; sends nothing anywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyLine } from '../src/cli/classify.js';
import { problemRecipients, recipientText } from '../src/engine/bounce.js';
import { buildIndex, type EngineIndex } from '../src/engine/index.js';
import { detectLang } from '../src/engine/normalize.js';
import type { KnowledgeBase } from '../src/engine/types.js';
import { analyzeFile } from '../src/files/analyze.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { allCases } from './lib/cases.js';
import { prepare } from './lib/crossval.js';
import { toModelFile, train, type Sample } from './lib/learn.js';

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

// sisimai 5 renamed make() to rise(); the first line is the version, then one JSON line per file.
const PERL = `use strict; use warnings; use Sisimai; use JSON::PP;
my $dir = shift; my $js = JSON::PP->new->canonical;
my $read = Sisimai->can('rise') ? 'rise' : 'make';
print "$Sisimai::VERSION\\n";
opendir(my $dh, $dir) or die "cannot read $dir";
for my $f (sort grep { /\\.eml$/ } readdir $dh) {
  my $v = eval { Sisimai->$read("$dir/$f", delivered => 1) } || [];
  print $js->encode({ file => $f, facts => [map { { recipient => $_->recipient->address, reason => $_->reason, agent => $_->smtpagent } } @$v] }), "\\n";
}`;

function sisimaiFacts(dir: string, lib: string | undefined): { version: string; facts: Map<string, SisimaiFact[]> } | string {
  let out: string;
  try {
    out = execFileSync('perl', [...(lib ? ['-I', lib] : []), '-e', PERL, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return `sisimai could not be run (apt-get install libsisimai-perl, or SISIMAI_LIB): ${(err as Error).message.split('\n')[0]}`;
  }
  const [version = '?', ...lines] = out.trim().split('\n');
  const facts = new Map<string, SisimaiFact[]>();
  for (const line of lines) {
    const row = JSON.parse(line) as { file: string; facts: SisimaiFact[] };
    facts.set(row.file, row.facts);
  }
  return { version, facts };
}

/**
 * A case that came out of sisimai's world, by its source: the set-of-emails files (however the source spells the
 * path: "sisimai/set-of-emails maildir/bsd/…", "sisimai/p5-sisimai set-of-emails/maildir/bsd/…"), sisimai's issue
 * threads (where those samples come from), its Rhost/Lhost tables and its reason list. The first honest split only
 * matched "sisimai/set-of-emails" and so trained on 43 dev-corpus lines copied from the very bounces it scored.
 */
export const fromSisimai = (source: string): boolean => /sisimai|set-of-emails|maildir\/bsd|\b[lr]host-[a-z0-9]+-\d+\.eml/i.test(source);

/**
 * The MTA families (scripts/lib/cases.ts familyOf) whose texts are the report templates of a bounce's MTA, by the
 * name sisimai gives the MTA or service: a Postfix bounce is scored by a model that has seen no Postfix case at all.
 */
const AGENT_FAMILIES: [RegExp, string[]][] = [
  [/^(?:postfix)$/i, ['postfix']],
  [/sendmail/i, ['sendmail']],
  [/^exim$/i, ['exim']],
  [/^qmail$/i, ['qmail']],
  [/^(?:gmail|gsuite|googlegroups|googleworkspace)$/i, ['google', 'android']],
  [/^(?:outlook|office365|exchange\d*|amazonworkmail)$/i, ['microsoft', 'outlook']],
  [/^(?:yahoo|aol|verizon)$/i, ['yahoo']],
  [/^(?:amazonses|receivingses)$/i, ['amazon-ses']],
  [/^(?:sendgrid|powermta)$/i, ['esp']],
  [/^(?:ezweb|kddi|docomo|softbank)$/i, ['jp-carrier']],
  [/^(?:biglobe)$/i, ['jp-isp']],
];

function agentGroup(agent: string): { key: string; families: string[] } {
  for (const [re, families] of AGENT_FAMILIES) if (re.test(agent)) return { key: families[0] ?? agent, families };
  return { key: 'other', families: [] };
}

/** Lines of 40 characters or more, lower-cased with blanks folded: long enough that sharing one is sharing text. */
function longLines(text: string): string[] {
  return text
    .split(/\n|(?<=[.!?])\s+/)
    .map((l) => l.toLowerCase().replace(/\s+/g, ' ').trim())
    .filter((l) => l.length >= 40);
}

/**
 * The engine as if the bounces it scores had never been seen, one engine per MTA group (grouped cross-validation by
 * family, as `npm run eval` holds out whole families): its model trained without (1) any case from sisimai's world,
 * (2) any case of the group's MTA families (their report templates), (3) any case, knowledge examples included, that
 * shares a line of 40 characters or more with a bounce of the group; its rules without the phrases and combos only
 * those cases set off.
 */
function honestIndexes(kb: KnowledgeBase, bounces: Case[]): { indexFor: (c: Case) => EngineIndex; note: string } {
  const cases = allCases(kb);
  const p = prepare(kb, cases);
  const combination = kb.model?.combination;
  if (!combination) throw new Error('eval-bounces: knowledge/model/classifier.json is missing; run npm run train first');
  const groups = new Map<string, Case[]>();
  for (const b of bounces) groups.set(agentGroup(b.agent).key, [...(groups.get(agentGroup(b.agent).key) ?? []), b]);
  const caseLines = cases.map((c) => longLines(c.text));
  const indexes = new Map<string, EngineIndex>();
  const notes: string[] = [];
  for (const [key, members] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    const families = new Set(members.flatMap((b) => agentGroup(b.agent).families));
    const bounceText = members.map((b) => b.bytes.toString('latin1').toLowerCase().replace(/\s+/g, ' ')).join('\n');
    const out = cases.map((c, i) => fromSisimai(c.source) || families.has(c.family) || (caseLines[i] ?? []).some((l) => bounceText.includes(l)));
    const seen = { phrases: new Set<string>(), combos: new Set<string>() };
    p.cases.forEach((_, i) => {
      if (out[i]) return;
      for (const x of p.rules[i]?.phrases ?? []) seen.phrases.add(x);
      for (const x of p.rules[i]?.combos ?? []) seen.combos.add(x);
    });
    const without = { phrases: new Set<string>(), combos: new Set<string>() };
    p.cases.forEach((_, i) => {
      if (!out[i]) return;
      for (const x of p.rules[i]?.phrases ?? []) if (!seen.phrases.has(x)) without.phrases.add(x);
      for (const x of p.rules[i]?.combos ?? []) if (!seen.combos.has(x)) without.combos.add(x);
    });
    const samples = p.samples.filter((s, i): s is Sample => s !== null && s !== undefined && !out[i]);
    const model = toModelFile(train(samples), `eval-bounces-held-out-${key}`, combination, {});
    indexes.set(key, buildIndex(kb, { model, without }));
    notes.push(`${key} ${members.length} bounces: ${out.filter(Boolean).length} cases and ${without.phrases.size + without.combos.size} rule phrases held out`);
  }
  return { indexFor: (c) => indexes.get(agentGroup(c.agent).key) ?? buildIndex(kb), note: notes.join('; ') };
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

interface Case {
  file: string;
  reason: string;
  accept: string[];
  agent: string;
  expected: string[];
  bytes: Buffer;
}

/** Scores one engine on every case; prints the figures, and returns the misses and the corpus lines when asked. */
async function score(indexFor: (c: Case) => EngineIndex, cases: Case[], title: string, options: { misses: boolean; corpus: boolean }): Promise<{ misses: string[]; corpus: string[] }> {
  let classifyRight = 0;
  let fileRight = 0;
  let recipientsRight = 0;
  const perReason = new Map<string, { n: number; classify: number; file: number }>();
  const perAgent = new Map<string, { n: number; file: number; recipients: number }>();
  const confusion = new Map<string, number>();
  const misses: string[] = [];
  const corpus: string[] = [];
  const seenTexts = new Set<string>();
  for (const c of cases) {
    const index = indexFor(c);
    const tally = perReason.get(c.reason) ?? { n: 0, classify: 0, file: 0 };
    tally.n++;
    const viaClassify = JSON.parse(await classifyLine(index, JSON.stringify({ text: c.bytes.toString('utf8') }))) as { category: string };
    if (c.accept.includes(viaClassify.category)) {
      classifyRight++;
      tally.classify++;
    }
    const viaFile = await analyzeFile(index, { name: c.file }, c.bytes);
    const fileCategory = viaFile.ok ? viaFile.analysis.diagnosis.category : `(${viaFile.problem})`;
    if (c.accept.includes(fileCategory)) {
      fileRight++;
      tally.file++;
    }
    // One line per miss: both paths, or the one that missed.
    const miss = [c.accept.includes(fileCategory) ? '' : `file ${fileCategory}`, c.accept.includes(viaClassify.category) ? '' : `classify ${viaClassify.category}`].filter(Boolean);
    const key = `${c.reason} -> ${fileCategory === viaClassify.category ? fileCategory : miss.join(', ')}`;
    if (miss.length > 0) confusion.set(key, (confusion.get(key) ?? 0) + 1);
    const named = viaFile.ok && viaFile.bounce ? [...new Set(problemRecipients(viaFile.bounce).map((r) => r.address))].sort() : [];
    const agent = perAgent.get(c.agent) ?? { n: 0, file: 0, recipients: 0 };
    agent.n++;
    if (c.accept.includes(fileCategory)) agent.file++;
    if (c.expected.join(',') === named.join(',')) {
      recipientsRight++;
      agent.recipients++;
    }
    perAgent.set(c.agent, agent);
    perReason.set(c.reason, tally);

    if (options.misses && (!c.accept.includes(fileCategory) || !c.accept.includes(viaClassify.category) || c.expected.join(',') !== named.join(','))) {
      const words = viaFile.ok && viaFile.bounce ? viaFile.bounce.recipients.map((r) => `[${r.command || '-'}${r.decidedBy ? ` by ${r.decidedBy}` : ''}] ${recipientText(r)}`).join(' | ') : '(not read as a bounce)';
      misses.push(`${c.file}\t${c.reason}\tclassify=${viaClassify.category}\tfile=${fileCategory}\trcpt=${named.join(',')} want ${c.expected.join(',')}\n    ${words.slice(0, 300)}`);
    }
    if (options.corpus && viaFile.ok && viaFile.bounce && c.accept.length === 1) {
      for (const r of viaFile.bounce.recipients) {
        // The server's words as the bounce gives them (no status appended: the line says [verbatim]).
        const text = r.diagnosticCode;
        if (!usableForTraining(text, c.reason) || seenTexts.has(text)) continue;
        seenTexts.add(text);
        corpus.push(JSON.stringify({ text, accept: c.accept, lang: detectLang(text), source: `[verbatim] sisimai/set-of-emails maildir/bsd/${c.file} (${c.agent})` }));
      }
    }
  }
  const n = cases.length;
  const pct = (x: number): string => (n ? (x / n).toFixed(3) : '-');
  console.log(`\n## ${title}`);
  console.log(`  classify --jsonl (whole file as text): ${classifyRight}/${n} = ${pct(classifyRight)}`);
  console.log(`  diagnose --file:                       ${fileRight}/${n} = ${pct(fileRight)}`);
  console.log(`  failed recipients named right:         ${recipientsRight}/${n} = ${pct(recipientsRight)}`);
  for (const [reason, t] of [...perReason].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`    ${reason.padEnd(14)} n=${String(t.n).padStart(3)}  classify ${(t.classify / t.n).toFixed(2)}  file ${(t.file / t.n).toFixed(2)}`);
  }
  console.log('  confusions (sisimai reason -> our category, through both paths unless named):');
  for (const [k, v] of [...confusion].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`    ${String(v).padStart(3)}  ${k}`);
  console.log("  by MTA or service (sisimai's name): n, diagnose --file, recipients");
  const agents = [...perAgent].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  console.log(agents.map(([name, t]) => `    ${name} ${t.n} ${(t.file / t.n).toFixed(2)} ${(t.recipients / t.n).toFixed(2)}`).join('\n'));
  return { misses, corpus };
}

async function main(): Promise<number> {
  const root = process.env.SISIMAI_SET_DIR ?? arg('--set');
  const dir = root ? join(root, 'maildir', 'bsd') : undefined;
  if (!dir || !existsSync(dir)) {
    console.log('eval-bounces: skipped — set SISIMAI_SET_DIR to a checkout of sisimai/set-of-emails (with maildir/bsd)');
    return 0;
  }
  const judged = sisimaiFacts(dir, process.env.SISIMAI_LIB);
  if (typeof judged === 'string') {
    console.log(`eval-bounces: skipped — ${judged}`);
    return 0;
  }
  const cases: Case[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
    const list = judged.facts.get(file) ?? [];
    const reasons = new Set(list.map((f) => f.reason));
    const reason = [...reasons][0];
    if (list.length === 0 || reasons.size !== 1 || !reason) continue;
    const accept = REASON_MAP[reason];
    if (!accept) continue;
    const expected = [...new Set(list.map((f) => f.recipient.toLowerCase()))].sort();
    cases.push({ file, reason, accept, agent: list[0]?.agent ?? '?', expected, bytes: readFileSync(join(dir, file)) });
  }
  const kb = loadKnowledge();
  const corpusPath = arg('--corpus');
  const showMisses = process.argv.includes('--misses');
  console.log(`eval-bounces: ${cases.length} bounces whose recipients share one mapped reason (sisimai/set-of-emails maildir/bsd), judged by sisimai ${judged.version}`);
  const shippedIndex = buildIndex(kb);
  const shipped = await score(() => shippedIndex, cases, 'The shipped engine (its model has learnt from texts of these bounces: in-sample)', { misses: showMisses, corpus: Boolean(corpusPath) });
  if (showMisses) console.log(shipped.misses.join('\n'));
  if (process.argv.includes('--honest')) {
    const honest = honestIndexes(kb, cases);
    const title = 'Held out (the headline): per MTA group, a model trained without any case from sisimai/set-of-emails or sisimai, any case of the MTA family, any case sharing a 40-character line with the group\'s bounces; rules without the phrases only those set off';
    console.log(`  groups: ${honest.note}`);
    const held = await score(honest.indexFor, cases, title, { misses: showMisses, corpus: false });
    if (showMisses) console.log(held.misses.join('\n'));
  }
  if (corpusPath) {
    writeFileSync(corpusPath, `${shipped.corpus.join('\n')}\n`);
    console.log(`  wrote ${shipped.corpus.length} labelled diagnostic texts to ${corpusPath}`);
  }
  return 0;
}

process.exitCode = await main();
