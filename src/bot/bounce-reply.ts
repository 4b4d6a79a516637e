/** A bounce as a reply: how many recipients failed, and for each the server's words, the server, the diagnosis and the fix. Pure. */
import { pick, t } from '../engine/i18n.js';
import { problemRecipients, type BounceAnalysis } from '../engine/bounce.js';
import type { KnowledgeBase, Lang } from '../engine/types.js';
import type { Reply, ReplyAction, ReplySection } from '../render/model.js';

/** Recipients shown one by one; a mailing to hundreds is summarised after these. */
const SHOWN = 5;
/** The server's words are quoted up to this length: the engine read them whole. */
const QUOTE_CHARS = 300;

function clip(s: string): string {
  return s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS - 1)}…` : s;
}

/** The SMTP command refused → what the server was judging at that step (RFC 5321 §3.3). */
const STAGES: Record<string, string> = { CONN: 'client', HELO: 'client', EHLO: 'client', MAIL: 'sender', RCPT: 'recipient', DATA: 'message' };

export function bounceReply(kb: KnowledgeBase, b: BounceAnalysis, lang: Lang): Reply {
  const ui = kb.ui;
  const total = b.recipients.length;
  const orig = b.subject
    ? b.dateText
      ? t(ui, 'bot.bounce.original', lang, { subject: b.subject, date: b.dateText })
      : t(ui, 'bot.bounce.original-nodate', lang, { subject: b.subject })
    : '';
  if (b.kind === 'auto-reply' || b.kind === 'feedback') {
    return {
      kind: 'info',
      lang,
      title: t(ui, `bot.bounce.${b.kind}`, lang),
      summary: [t(ui, `bot.bounce.${b.kind}-summary`, lang), orig].filter(Boolean).join('\n'),
      severity: 'info',
      sections: [],
      actions: [],
    };
  }
  const problems = problemRecipients(b);
  const sections: ReplySection[] = problems.slice(0, SHOWN).map((r) => {
    const items: string[] = [];
    if (r.diagnosticCode) items.push(t(ui, 'bot.bounce.said', lang, { text: clip(r.diagnosticCode) }));
    if (r.remoteMta) items.push(t(ui, 'bot.bounce.server', lang, { host: r.remoteMta }));
    // Which step of the session was refused says whose problem it is: the sending IP, the sender, the recipient, the message.
    if (r.command) items.push(t(ui, 'bot.bounce.command', lang, { command: r.command, stage: t(ui, `bot.bounce.stage.${STAGES[r.command] ?? 'other'}`, lang) }));
    if (r.status && !r.diagnosticCode.includes(r.status)) items.push(t(ui, 'bot.bounce.status', lang, { status: r.status }));
    const entry = r.diagnosis.entry;
    if (entry) {
      items.push(t(ui, 'bot.bounce.diagnosis', lang, { title: pick(entry.title, lang) }));
      for (const step of entry.steps.slice(0, 2)) items.push(t(ui, 'bot.bounce.fix', lang, { step: pick(step, lang) }));
    } else {
      items.push(t(ui, 'bot.bounce.unknown', lang));
    }
    return { heading: r.address, style: 'bullets', items };
  });
  if (problems.length > SHOWN) sections.push({ heading: '', style: 'text', items: [t(ui, 'bot.bounce.more', lang, { count: problems.length - SHOWN })] });
  const first = problems.find((r) => r.diagnosis.entry);
  const actions: ReplyAction[] = first ? [{ id: 'show-checklist', label: t(ui, 'bot.action.show-checklist', lang), value: first.category }] : [];
  const lead = b.kind === 'delay' ? t(ui, 'bot.bounce.delay-summary', lang) : first?.diagnosis.entry ? pick(first.diagnosis.entry.summary, lang) : '';
  return {
    kind: 'diagnosis',
    lang,
    title: t(ui, b.kind === 'delay' ? 'bot.bounce.delay' : 'bot.bounce.failure', lang, { total: Math.max(total, b.failed), failed: b.failed }),
    summary: [orig, lead].filter(Boolean).join('\n'),
    severity: b.kind === 'delay' ? 'warning' : 'error',
    sections,
    actions,
  };
}
