/**
 * Follow-up kinds found in dialogues-10 (real threads): a faint close that tells a setting, and a question about the
 * trouble read faintly as one about the bot itself.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const RELAY = '554 5.7.1 <bob@example.com>: Relay access denied';

describe('follow-up kinds (dialogues-10)', () => {
  it('a setting told in the middle of a trouble is no close unless the close is sure (en, ja)', async () => {
    const out = await converse([
      ...dialogue('set-en', RELAY, "now it's set to port 465 with ssl"),
      ...dialogue('set-ja', 'Outlookで送信できません。エラーは 0x800CCC0F です', 'ポートを587にして暗号化をSTARTTLSにしたら送れました'),
    ]);
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
    expect(out[3]?.kind, out[3]?.text).toBe('closing');
  });

  it('a turn that ends in a question mark closes only when the close is sure', async () => {
    const out = await converse(dialogue('ask-en', RELAY, 'so will it sort itself out if I just wait?'));
    expect(out[1]?.kind, out[1]?.text).not.toBe('closing');
  });

  it('a question about the trouble read faintly as a request for help goes on with the trouble; a plain one gets the help text', async () => {
    const out = await converse([...dialogue('how-en', RELAY, 'how do I get off that list?', 'what can you do?'), ...dialogue('how-ja', RELAY, 'どうやって解除するの？', '何ができますか')]);
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
    expect(out[2]?.kind).toBe('help');
    expect(out[4]?.kind, out[4]?.text).toBe('followup');
    expect(out[5]?.kind).toBe('help');
  });
});

describe('more of a trouble told in words, in the search it started', () => {
  it('a fact the engine model alone reads as a cause is offered as the next likely cause, a follow-up (ja, en)', async () => {
    const out = await converse([
      ...dialogue('fact-ja', '急にメールが送れなくなりました。受信はできます', 'Googleアカウントのパスワードを先月変えています'),
      ...dialogue('fact-en', "Thunderbird won't send my mail anymore", 'I changed my Gmail password yesterday'),
    ]);
    for (const i of [1, 3]) {
      expect(out[i - 1]?.kind).toBe('symptom');
      expect(out[i]?.kind, `${i}: ${out[i]?.text}`).toBe('followup');
      expect(out[i]?.entry, `${i}: ${out[i]?.text}`).not.toBeNull();
      expect(out[i]?.probeTarget).toBeNull();
    }
  });
});

describe('in the checklist, a question of its own', () => {
  it('read less than surely as "tell me more" goes on with the trouble; "詳しく" still shows the whole list', async () => {
    const out = await converse([...dialogue('wait-ja', 'メールが送れません。受信はできます', '時間をおけば自然に直るものですか？'), ...dialogue('more-ja', 'メールが送れません。受信はできます', '詳しく')]);
    expect(out[0]?.kind).toBe('symptom');
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
    expect(out[3]?.kind, out[3]?.text).toBe('checklist');
  });
});

describe('a question about which encryption goes with which port', () => {
  it('asked surely, is answered — not taken for the setting the user has', async () => {
    const out = await converse(dialogue('pair-ja', 'Outlookで送信できません。エラーは 0x800CCC0F です', 'ポート587はTLS用で、465はSSL用ということですか？'));
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[1]?.topic).toBe('ssl-tls-starttls');
  });
});

describe('a first message said as a statement', () => {
  it('tells a trouble, though its words name a topic; a wish or a question about the topic is answered', async () => {
    const out = await converse([
      ...dialogue('told-ja', '会計ソフトからOffice 365のアカウントで通知メールを送るように設定したいのですが、送信テストが通りません'),
      ...dialogue('wish-ja', 'アプリパスワードを作りたいです'),
      ...dialogue('wish-en', 'I want to set up SPF for my domain'),
    ]);
    expect(out[0]?.kind, out[0]?.text).toBe('symptom');
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[1]?.topic).toBe('app-passwords');
    expect(out[2]?.kind, out[2]?.text).toBe('answer');
    expect(out[2]?.topic).toBe('spf-dkim-dmarc');
  });
});

describe('a close whose last clause surely closes', () => {
  it('closes, however faintly the steps told before it make the whole read as one', async () => {
    const out = await converse(dialogue('fix-ja', 'Laravelのキューからメール送信すると、ときどき失敗します', 'config/mail.php の smtp 設定に timeout を30で追加して、キューワーカーを再起動したら失敗しなくなりました'));
    expect(out[1]?.kind, out[1]?.text).toBe('closing');
  });
});
