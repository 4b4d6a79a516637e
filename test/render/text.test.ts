import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/render/model.js';
import { renderText } from '../../src/render/text.js';

const reply: Reply = {
  kind: 'diagnosis',
  lang: 'en',
  title: 'Relay denied',
  summary: 'The server will not relay.',
  severity: 'error',
  confidence: 0.876,
  sections: [
    { heading: 'How to fix it', style: 'steps', items: ['Turn on SMTP AUTH', 'Use port 587'] },
    { heading: 'Likely causes', style: 'bullets', items: ['AUTH is off'] },
    { heading: 'Log', style: 'code', items: ['554 5.7.1 Relay access denied'] },
  ],
  actions: [{ id: 'run-probe', label: 'Run the suggested test', value: 'smtp.example.com' }],
  footer: 'cut',
};

describe('renderText', () => {
  it('shows title with confidence, numbered steps, bullets, code and the footer', () => {
    const out = renderText(reply);
    expect(out.split('\n')[0]).toBe('❌ Relay denied (88%)');
    expect(out).toContain('## How to fix it\n1. Turn on SMTP AUTH\n2. Use port 587');
    expect(out).toContain('- AUTH is off');
    expect(out).toContain('```\n554 5.7.1 Relay access denied\n```');
    expect(out.trimEnd().endsWith('cut')).toBe(true);
    expect(out).not.toContain('Run the suggested test');
  });

  it('shows a checklist without sections as check boxes', () => {
    const out = renderText({ ...reply, sections: [], confidence: undefined, checklist: [{ id: 'a', title: 'Network', howto: 'Open a page', done: true }, { id: 'b', title: 'Server', howto: 'Compare', done: false }] });
    expect(out).toContain('[x] 1. Network: Open a page');
    expect(out).toContain('[ ] 2. Server: Compare');
    expect(out.split('\n')[0]).toBe('❌ Relay denied');
  });
});
