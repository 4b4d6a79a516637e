/**
 * Turns that say two things, and turns that lean on the one before: thanks followed by a new question is the
 * question; "done" with thanks after a fix is a close; right after a test, another port of the same server is the
 * same test again (never for a report that names a port); a step number right after a diagnosis is its own step.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const PASTE = {
  auth: '535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6',
  timeout: 'Thunderbird: the connection to the outgoing server smtp.example.org timed out',
  outlook: 'Outlook の送受信エラー 0x800CCC0F が出ます',
};

describe('thanks, then a new question in the same turn', () => {
  it('answers the question (ja, en)', async () => {
    const out = await converse([
      ...dialogue('tq-ja', PASTE.auth, 'パスワードを直したら送れました、ありがとう！あと、STARTTLSってそもそも何なんでしょう？'),
      ...dialogue('tq-en', PASTE.auth, 'new password fixed it, thanks. one more thing: what is OP25B?'),
    ]);
    expect(out[1]).toMatchObject({ kind: 'answer', topic: 'ssl-tls-starttls' });
    expect(out[3]).toMatchObject({ kind: 'answer', topic: 'op25b' });
  });

  it('still closes when nothing is asked after the thanks (ja, en)', async () => {
    const out = await converse([...dialogue('tc-ja', PASTE.auth, '送れました。ほんとに感謝です'), ...dialogue('tc-en', PASTE.auth, 'works now. thanks a ton.')]);
    expect(out[1]?.kind).toBe('closing');
    expect(out[3]?.kind).toBe('closing');
  });
});

describe('"done" with thanks after a diagnosis', () => {
  it('is a close; "done" alone is not (ja)', async () => {
    const out = await converse([...dialogue('dt-diag', PASTE.auth, 'やりました！ありがとうございます、助かりました'), ...dialogue('dt-done', PASTE.auth, 'やりました')]);
    expect(out[1]?.kind).toBe('closing');
    expect(out[3]?.kind).not.toBe('closing');
  });
});

describe('right after a test', () => {
  it('another port of the same server is the same test again (ja, en)', async () => {
    const out = await converse([
      ...dialogue('pa-ja', 'mail.example.net に接続テストしてください', 'そのサーバーの587番も試してもらえますか'),
      ...dialogue('pa-en', 'please test smtp.example.org', 'same server, port 2525 too?'),
    ]);
    expect(out[0]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.net' });
    expect(out[1]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.net:587' });
    expect(out[3]).toMatchObject({ kind: 'probe', probeTarget: 'smtp.example.org:2525' });
  });

  it('a port alone with "too" right after a test is that test again, never later (ja, en)', async () => {
    const out = await converse([
      ...dialogue('po-ja', 'smtp.example.net の接続をテストしてください', '2525番も', 'ありがとう', '25番も'),
      ...dialogue('po-en', 'test mail.example.org please', '587 too'),
    ]);
    expect(out[1]).toMatchObject({ kind: 'probe', probeTarget: 'smtp.example.net:2525' });
    expect(out[3]?.kind).not.toBe('probe');
    expect(out[3]?.probeTarget).toBeNull();
    expect(out[5]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.org:587' });
  });

  it('a report that names a port, or a port asked about later, starts no test (ja, en)', async () => {
    const out = await converse([
      ...dialogue('pr-ja', 'mail.example.net をテストして', 'メールソフトを587にしたけどまだ送れない'),
      ...dialogue('pr-en', 'please test smtp.example.org', 'thanks', 'and 465?'),
    ]);
    expect(out[1]?.kind).not.toBe('probe');
    expect(out[1]?.probeTarget).toBeNull();
    expect(out[4]?.probeTarget).toBeNull();
  });
});

describe('a step number right after a diagnosis', () => {
  it("is the diagnosis's own step, not the checklist's (en, ja)", async () => {
    const out = await converse([
      ...dialogue('sn-en', PASTE.outlook, 'did the 1st step, same error'),
      ...dialogue('sn-ja', PASTE.outlook, '手順1はやったけど変わらない'),
    ]);
    expect(out[1]?.kind).toBe('followup');
    expect(out[3]?.kind).toBe('followup');
  });
});

describe('"still failing" once the causes of a diagnosis ran out', () => {
  it('stays a follow-up in the checklist the search went on to, and a checklist turn when the user asked for it (ja, en)', async () => {
    const fails = ['まだダメ', 'やっぱり送れない', '変化なしです', 'だめでした', '相変わらずエラー', 'まだ無理'];
    const out = await converse([...dialogue('sf-ja', PASTE.auth, ...fails), ...dialogue('sf-en', 'walk me through the checklist please', "didn't help", 'still no good')]);
    for (const i of [1, 2, 3, 4, 5, 6]) expect(out[i]?.kind, fails[i - 1]).toBe('followup');
    expect(out[8]?.kind).toBe('checklist');
    expect(out[9]?.kind).toBe('checklist');
  });
});
