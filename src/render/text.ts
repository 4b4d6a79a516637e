/** Reply → plain text (terminal, CLI, logs of what was said). Light Markdown that still reads well unrendered. */
import { CONVERSATION_ACTIONS, type Reply, type ReplyAction, type ReplySection } from './model.js';

const ICON: Record<Reply['severity'], string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };

function section(s: ReplySection): string[] {
  const lines: string[] = [];
  if (s.heading) lines.push(`## ${s.heading}`);
  s.items.forEach((item, i) => {
    switch (s.style) {
      case 'steps':
        lines.push(`${i + 1}. ${item}`);
        break;
      case 'bullets':
        lines.push(`- ${item}`);
        break;
      case 'code':
        lines.push('```', item, '```');
        break;
      case 'text':
        lines.push(item);
        break;
    }
  });
  return lines;
}

/** Buttons a terminal user can say instead of pressing: those of a conversation, and the checklist and test beside them. */
const SAYABLE = new Set<ReplyAction['id']>([...CONVERSATION_ACTIONS, 'show-checklist', 'run-probe']);

/**
 * Buttons become words to type only in a conversation's replies (which carry its own buttons: "more", "next cause",
 * "done" …); elsewhere they are left out and the reply's sections say what to type.
 */
export function renderText(reply: Reply): string {
  const lines: string[] = [];
  const confidence = reply.confidence !== undefined ? ` (${Math.round(reply.confidence * 100)}%)` : '';
  lines.push(`${ICON[reply.severity]} ${reply.title}${confidence}`, '', reply.summary);
  if (reply.checklist && reply.sections.length === 0) {
    reply.checklist.forEach((c, i) => lines.push(`${c.done ? '[x]' : '[ ]'} ${i + 1}. ${c.title}: ${c.howto}`));
  }
  for (const s of reply.sections) lines.push('', ...section(s));
  if (reply.footer) lines.push('', reply.footer);
  if (reply.actions.some((a) => (CONVERSATION_ACTIONS as readonly string[]).includes(a.id))) {
    lines.push('', `→ ${reply.actions.filter((a) => SAYABLE.has(a.id)).map((a) => a.label).join(' / ')}`);
  }
  return `${lines.join('\n')}\n`;
}
