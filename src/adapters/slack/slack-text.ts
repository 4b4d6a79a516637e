/**
 * Slack's message text → the plain text a user pasted. Slack turns host names and addresses into links
 * (`<mailto:a@b.jp|a@b.jp>`, `<http://smtp.example.jp|smtp.example.jp>`) and escapes `& < >`; the engine must see
 * what the user typed, or every host name in a pasted error would be hidden in link markup.
 */
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

export function fromSlackText(text: string, botUserId?: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return botUserId && target === `@${botUserId}` ? '' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
      if (label !== undefined) return label;
      return target.replace(/^mailto:/, '');
    })
    .replace(/&(lt|gt|amp);/g, (m) => ENTITIES[m] ?? m)
    .trim();
}

/** Whether a message mentions the bot (then the `app_mention` event answers it, not the `message` event). */
export function mentions(text: string, botUserId: string | undefined): boolean {
  return Boolean(botUserId) && text.includes(`<@${botUserId}`);
}
