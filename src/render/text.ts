/** Reply → plain text (terminal, CLI, logs of what was said). Light Markdown that still reads well unrendered. */
import type { Reply, ReplySection } from './model.js';

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

/** Buttons are left out: in a terminal the user types the request instead (the reply's sections say how). */
export function renderText(reply: Reply): string {
  const lines: string[] = [];
  const confidence = reply.confidence !== undefined ? ` (${Math.round(reply.confidence * 100)}%)` : '';
  lines.push(`${ICON[reply.severity]} ${reply.title}${confidence}`, '', reply.summary);
  if (reply.checklist && reply.sections.length === 0) {
    reply.checklist.forEach((c, i) => lines.push(`${c.done ? '[x]' : '[ ]'} ${i + 1}. ${c.title}: ${c.howto}`));
  }
  for (const s of reply.sections) lines.push('', ...section(s));
  if (reply.footer) lines.push('', reply.footer);
  return `${lines.join('\n')}\n`;
}
