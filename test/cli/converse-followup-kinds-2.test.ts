/**
 * Kinds of follow-up found by the blind dialogues-5 set (helper D6): a step skipped or failed in the checklist moves
 * it on; "that did it" closes; a test asked for after thanks is a test; words the engine's model alone reads as
 * another error, in a trouble under discussion, go on with the search; the same trouble named again by its help link
 * is no second diagnosis; "I read the page, still lost" after an answer answers again; "and 2525?" after an answer
 * about ports is a question about ports; "it worked until last week" tells a trouble. Wordings differ from the set's.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

describe('follow-up kinds (dialogues-5)', () => {
  it('a step skipped or failed without its number moves the checklist on (ja, en)', async () => {
    const out = await converse([...dialogue('skip-ja', 'チェックリストをお願いします', 'ここは飛ばします', 'それもダメでした'), ...dialogue('skip-en', 'checklist please', 'skip that one', 'nope, this one failed too')]);
    for (const i of [1, 2, 4, 5]) expect(out[i]?.kind, `${i}: ${out[i]?.text}`).toBe('checklist');
    expect(new Set(out.slice(0, 3).map((o) => o.text)).size).toBe(3);
  });

  it('"that did it" after an answer closes (en)', async () => {
    const out = await converse(dialogue('did-en', 'what is the smtp server for icloud mail?', 'great, that did the trick'));
    expect(out[0]?.kind).toBe('answer');
    expect(out[1]?.kind, out[1]?.text).toBe('closing');
  });

  it('thanks, then another server to test, is a test of that server (ja)', async () => {
    const out = await converse(dialogue('again-ja', 'mail.example.net:587 をテストしてください', 'どうもです、続けて smtp.example.org:465 もテストしてほしいです'));
    expect(out[0]?.kind).toBe('probe');
    expect(out[1]?.kind, out[1]?.text).toBe('probe');
    expect(out[1]?.probeTarget).toBe('smtp.example.org:465');
  });

  it('what was done, read by the engine model alone as another error, goes on with the search (ja)', async () => {
    const out = await converse(dialogue('did-ja', '553 5.7.1 <sales@example.jp>: Sender address rejected: not owned by user info@example.net', 'メールアドレス欄とログインのユーザー名を同じにしました'));
    expect(out[0]?.kind).toBe('diagnosis');
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
  });

  it('the trouble under discussion named again by its help link is no second diagnosis (en)', async () => {
    const out = await converse(dialogue('link-en', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.', 'opened aka.ms/smtp_auth_disabled, no idea what it wants from me'));
    expect(out[0]?.kind).toBe('diagnosis');
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
    expect(out[1]?.probeTarget).toBeNull();
  });

  it('"I read it and still don\'t get it" after an answer answers again, and an elliptic port question stays on ports', async () => {
    const out = await converse([...dialogue('lost-ja', 'POP before SMTPって何ですか', '説明を読んだけど難しくてよくわからないです'), ...dialogue('port-en', 'which port should I use, 465 or 587?', 'what about 25? the old setup had it')]);
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[3]?.kind, out[3]?.text).toBe('answer');
    expect(out[3]?.topic).toBe('smtp-ports');
  });

  it('"it worked until last week" tells a trouble (ja)', async () => {
    const out = await converse(dialogue('until-ja', 'こんにちは', '会社のメールなんですが、先週までは普通に送信できてたんです'));
    expect(out[1]?.kind, out[1]?.text).toBe('symptom');
  });
});
