/** Builds platform-neutral replies (src/render/model.ts) from diagnoses, the checklist and topics. Pure. */
import { pick, t } from '../engine/i18n.js';
import { compact, MAX_INPUT_CHARS } from '../engine/normalize.js';
import type { CategoryId, Diagnosis, Evidence, KnowledgeBase, Lang, Topic } from '../engine/types.js';
import type { Reply, ReplyAction, ReplySection } from '../render/model.js';

const percent = (x: number): number => Math.round(x * 100);

/** The host a suggested test should look at: the outgoing server the paste names, if any. */
export function probeTargetOf(d: Diagnosis): string | undefined {
  const hosts = d.signals.hosts.filter((h) => !/(^|\.)(google|gmail|microsoft|apple|yahoo|spamhaus|spamcop|support|help)\./.test(h));
  return hosts.find((h) => /^(smtp|mail|mx|submission|out|outbound)[0-9-]*\./.test(h)) ?? hosts[0];
}

/** Mail providers and blocklists a bounce names that are not the sender: never the subject of a sender check. */
const NOT_THE_SENDER = /(^|\.)(google|gmail|googlemail|outlook|hotmail|live|microsoft|office365|apple|icloud|yahoo|aol|spamhaus|spamcop|barracudacentral|pobox|support|help)\./;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What a sender check should look at after a diagnosis: the sending domain (SPF/DKIM/DMARC) or the sending IP. */
export function checkTargetOf(d: Diagnosis): string | undefined {
  const ip = d.signals.addresses.find((a) => IPV4.test(a));
  if (d.category === 'ip-reputation') return ip;
  if (d.category !== 'sender-authentication') return undefined;
  const domains = [...d.signals.hosts, ...d.signals.addresses.filter((a) => a.includes('@')).map((a) => a.slice(a.lastIndexOf('@') + 1).toLowerCase())];
  return domains.find((h) => !NOT_THE_SENDER.test(`${h}.`)) ?? ip;
}

/** Longest quote of the user's words, and how much comes before the piece that gave it away. */
const QUOTE_CHARS = 80;
const QUOTE_LEAD = 30;

/**
 * Where the evidence stands in the user's own (redacted) text: the words they wrote around it, one quote per line of
 * theirs (several pieces of one line are one quote, not three overlapping ones), in the evidence's order.
 */
export function ownWords(redacted: string, evidence: Evidence[], max = 3): string[] {
  const lines = redacted.split('\n').map((l) => l.trim()).filter(Boolean);
  const compacted = lines.map((l) => compact(l.toLowerCase()));
  const used = new Set<number>();
  const out: string[] = [];
  for (const e of evidence) {
    if (out.length >= max) break;
    const want = compact(e.value.toLowerCase());
    if (!want) continue;
    let i = compacted.findIndex((c) => c.includes(want));
    if (i < 0) i = lines.findIndex((l) => l.toLowerCase().includes(e.value.toLowerCase()));
    const line = lines[i];
    if (line === undefined || used.has(i)) continue;
    used.add(i);
    if (line.length <= QUOTE_CHARS) {
      out.push(line);
      continue;
    }
    // The window shows as many of the pieces found in this line as fit: from its start when they are near it, else a
    // little before the first of them, at a word's start.
    const lower = line.toLowerCase();
    const spans = evidence
      .map((x) => ({ at: lower.indexOf(x.value.toLowerCase()), len: x.value.length }))
      .filter((x) => x.at >= 0);
    const lo = Math.min(...spans.map((x) => x.at), lower.length);
    const hi = Math.max(...spans.map((x) => x.at + x.len), 0);
    const from = hi <= QUOTE_CHARS ? 0 : hi - lo <= QUOTE_CHARS ? Math.min(lo, hi - QUOTE_CHARS) : Math.max(0, lo - QUOTE_LEAD);
    // At a word's start: the next space, when it is close and keeps the pieces in view.
    const space = line.indexOf(' ', from);
    const start = from === 0 ? 0 : space >= 0 && space < Math.min(lo, from + QUOTE_LEAD / 2) ? space + 1 : from;
    out.push(`${start > 0 ? '…' : ''}${line.slice(start, start + QUOTE_CHARS)}${start + QUOTE_CHARS < line.length ? '…' : ''}`);
  }
  return out;
}

export function diagnosisReply(kb: KnowledgeBase, d: Diagnosis, lang: Lang = d.lang): Reply {
  const entry = d.entry;
  if (!entry) return unknownReply(kb, lang);
  const ui = kb.ui;
  const sections: ReplySection[] = [
    { heading: t(ui, 'bot.section.causes', lang), style: 'bullets', items: entry.causes.map((c) => pick(c, lang)) },
    { heading: t(ui, 'bot.section.steps', lang), style: 'steps', items: entry.steps.map((s) => pick(s, lang)) },
  ];
  if (d.evidence.length > 0) {
    sections.push({
      heading: t(ui, 'bot.section.evidence', lang),
      style: 'bullets',
      // Codes by name; words as the user wrote them (the line they stand in), not the form they were matched in.
      items: [
        ...d.evidence.slice(0, 5).filter((e) => e.kind !== 'phrase' && e.kind !== 'model').map((e) => t(ui, `bot.evidence.${e.kind}`, lang, { value: e.value })),
        ...ownWords(d.redacted, d.evidence.filter((e) => e.kind === 'phrase' || e.kind === 'model'), 2).map((w) => t(ui, 'talk.evidence', lang, { value: w })),
      ],
    });
  }
  const host = probeTargetOf(d);
  const actions: ReplyAction[] = [];
  // A sender's DNS records and IP are looked at by the sender check (the run-check button below), not by the server
  // probe: promising the probe for them would promise a check that does not exist.
  const senderSide = d.category === 'sender-authentication' || d.category === 'ip-reputation';
  if (entry.probe !== 'none' && !senderSide) {
    sections.push({
      heading: t(ui, 'bot.section.probe', lang),
      style: 'text',
      items: [
        t(ui, `bot.probe.${entry.probe}`, lang),
        host ? t(ui, 'bot.probe.how', lang, { host }) : t(ui, 'bot.probe.how-nohost', lang),
      ],
    });
    if (host) actions.push({ id: 'run-probe', label: t(ui, 'bot.action.run-probe', lang), value: host });
  }
  const checkTarget = checkTargetOf(d);
  if (checkTarget) actions.push({ id: 'run-check', label: t(ui, 'check.action.run', lang), value: checkTarget });
  const alternatives = d.alternatives.filter((a) => a.confidence >= 0.25);
  if (alternatives.length > 0) {
    sections.push({
      heading: t(ui, 'bot.section.alternatives', lang),
      style: 'bullets',
      items: alternatives.map((a) => {
        const alt = kb.entries.find((e) => e.id === a.entry);
        return t(ui, 'bot.alternative', lang, { title: alt ? pick(alt.title, lang) : a.category, percent: percent(a.confidence) });
      }),
    });
  }
  if (entry.references.length > 0) {
    sections.push({ heading: t(ui, 'bot.section.references', lang), style: 'bullets', items: entry.references });
  }
  actions.push({ id: 'show-checklist', label: t(ui, 'bot.action.show-checklist', lang), value: d.category });
  const reply: Reply = {
    kind: 'diagnosis',
    lang,
    title: pick(entry.title, lang),
    summary: pick(entry.summary, lang),
    severity: 'error',
    confidence: d.confidence,
    sections,
    actions,
  };
  if (d.truncated) reply.footer = t(ui, 'bot.truncated', lang, { chars: MAX_INPUT_CHARS / 2 });
  return reply;
}

export interface ChecklistOptions {
  /** Put the steps that matter for this category first (and say so). */
  focus?: CategoryId;
  /** Step ids already checked off. */
  done?: ReadonlySet<string>;
}

export function checklistReply(kb: KnowledgeBase, lang: Lang, options: ChecklistOptions = {}): Reply {
  const ui = kb.ui;
  const done = options.done ?? new Set<string>();
  const focusStep = options.focus ? kb.checklist.find((s) => s.categories.includes(options.focus as CategoryId)) : undefined;
  const steps = kb.checklist.map((s) => ({ id: s.id, title: pick(s.title, lang), howto: pick(s.howto, lang), done: done.has(s.id) }));
  const summary = focusStep
    ? `${t(ui, 'bot.checklist.summary', lang)} ${t(ui, 'bot.checklist.summary-focus', lang, { step: pick(focusStep.title, lang) })}`
    : t(ui, 'bot.checklist.summary', lang);
  return {
    kind: 'checklist',
    lang,
    title: t(ui, 'bot.checklist.title', lang),
    summary,
    severity: 'info',
    sections: [{ heading: t(ui, 'bot.checklist.steps', lang), style: 'steps', items: steps.map((s) => `${s.title}: ${s.howto}`) }],
    checklist: steps,
    actions: [],
    footer: t(ui, 'bot.checklist.progress', lang, { done: steps.filter((s) => s.done).length, total: steps.length }),
  };
}

/** "I can't send mail from Outlook since yesterday": the checklist, narrowed by what the words tell, and a request for the error text. */
export function symptomReply(kb: KnowledgeBase, d: Diagnosis, lang: Lang = d.lang): Reply {
  const ui = kb.ui;
  // Port 25 named in the words is the source document's classic case: start with the port step.
  const checklist = checklistReply(kb, lang, d.context.ports.includes(25) ? { focus: 'port-25-blocked' } : {});
  const context: string[] = [];
  if (d.context.client) context.push(t(ui, 'bot.symptom.client', lang, { name: d.context.client }));
  if (d.context.provider) context.push(t(ui, 'bot.symptom.provider', lang, { name: d.context.provider }));
  if (d.context.ports.length > 0) context.push(t(ui, 'bot.symptom.port', lang, { ports: d.context.ports.join(', ') }));
  if (d.context.sinceRecently) context.push(t(ui, 'bot.symptom.recent', lang));
  const sections: ReplySection[] = [];
  if (context.length > 0) sections.push({ heading: t(ui, 'bot.section.context', lang), style: 'bullets', items: context });
  sections.push(...checklist.sections);
  sections.push({ heading: t(ui, 'bot.section.ask', lang), style: 'text', items: [t(ui, 'bot.symptom.ask', lang)] });
  return {
    ...checklist,
    kind: 'checklist',
    title: t(ui, 'bot.symptom.title', lang),
    summary: d.context.ports.includes(25) ? `${t(ui, 'bot.symptom.summary', lang)} ${checklist.summary}` : t(ui, 'bot.symptom.summary', lang),
    sections,
  };
}

/** A topic's text, and its question for the user's provider while none is known (`ask`). */
export function topicSummary(topic: Topic, lang: Lang, providerKnown: boolean): string {
  const body = pick(topic.body, lang);
  if (providerKnown || !topic.ask) return body;
  return `${body}${lang === 'ja' ? '' : ' '}${pick(topic.ask, lang)}`;
}

export function topicReply(topic: Topic, lang: Lang): Reply {
  return {
    kind: 'info',
    lang,
    title: pick(topic.title, lang),
    summary: topicSummary(topic, lang, false),
    severity: 'info',
    sections: [],
    actions: [],
  };
}

export function unknownReply(kb: KnowledgeBase, lang: Lang): Reply {
  return {
    kind: 'info',
    lang,
    title: t(kb.ui, 'bot.unknown.title', lang),
    summary: t(kb.ui, 'bot.unknown.summary', lang),
    severity: 'info',
    sections: [],
    actions: [{ id: 'show-checklist', label: t(kb.ui, 'bot.action.show-checklist', lang), value: '' }],
  };
}

export function helpReply(kb: KnowledgeBase, lang: Lang): Reply {
  return {
    kind: 'help',
    lang,
    title: t(kb.ui, 'bot.help.title', lang),
    summary: t(kb.ui, 'bot.help.summary', lang),
    severity: 'info',
    sections: [{ heading: '', style: 'bullets', items: t(kb.ui, 'bot.help.items', lang).split('\n') }],
    actions: [],
  };
}

export function errorReply(kb: KnowledgeBase, lang: Lang): Reply {
  return {
    kind: 'error',
    lang,
    title: t(kb.ui, 'bot.error.title', lang),
    summary: t(kb.ui, 'bot.error.summary', lang),
    severity: 'error',
    sections: [],
    actions: [],
  };
}
