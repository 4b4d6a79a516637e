/**
 * The encryption told in words is kept in the conversation like the port, and used: a port and an encryption that do
 * not go together (587 with SSL/TLS, 465 with STARTTLS or none) are pointed out with the one to choose, in both
 * languages, whichever of the two the user tells first.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const WRONG_VERSION = 'Error: 80DC2D224F7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number';

describe('converse --jsonl: encryption told in words', () => {
  it('587 with SSL/TLS, told in one message or over two, in either order: the fix says STARTTLS', async () => {
    const out = await converse([
      ...dialogue('e1', 'メールが送れません', 'ポートは587で、SSLにチェック入れてます'),
      ...dialogue('e2', 'SSLにチェック入れてます', 'ポートは587番です'),
      ...dialogue('e3', 'Mail won\u2019t send', 'I use SSL on port 587'),
      ...dialogue('e4', 'I use SSL/TLS on port 587 and nothing goes out'),
      ...dialogue('e5', '587番ポートで暗号化はSSL/TLSを選んでます。送信だけできない'),
    ]);
    for (const o of [out[1], out[3], out[5], out[6], out[7]]) {
      expect(o?.entry, o?.text).toBe('tls-wrong-mode');
      expect(o?.category).toBe('tls-mismatch');
      expect(o?.text).toContain('STARTTLS');
      expect(o?.probeTarget).toBeNull();
    }
    expect(out[1]?.lang).toBe('ja');
    expect(out[1]?.text).toMatch(/587 番では暗号化を「STARTTLS」/);
    expect(out[5]?.text).toMatch(/port 587 takes STARTTLS/);
    // A trouble told in words is a symptom; in a conversation the bot is already in, a follow-up.
    expect(out[6]?.kind).toBe('symptom');
    expect(out[1]?.kind).toBe('followup');
  });

  it('465 with STARTTLS or without encryption: the fix says SSL/TLS', async () => {
    const out = await converse([
      ...dialogue('f1', '465番でSTARTTLSを選んでいるのに送れない'),
      ...dialogue('f2', 'ポートは465です', '暗号化なしにしてる'),
      ...dialogue('f3', 'port 465, STARTTLS selected, still cannot send'),
      ...dialogue('f4', "I'm on port 465 with no encryption"),
    ]);
    for (const o of [out[0], out[2], out[3], out[4]]) {
      expect(o?.entry, o?.text).toBe('tls-wrong-mode');
      expect(o?.text).toContain('SSL/TLS');
    }
    expect(out[0]?.text).toMatch(/465 番では暗号化を「SSL\/TLS」/);
    expect(out[4]?.text).toMatch(/port 465 takes SSL\/TLS/);
  });

  it("uses it after a diagnosis, and puts it in the user's own app; says it once", async () => {
    const out = await converse([
      ...dialogue('g1', WRONG_VERSION, 'ポート587でSSLにしてます'),
      ...dialogue('g2', 'Thunderbirdを使っています', 'ポート587、STARTTLSではなくSSL/TLSにしてる', '暗号化はSSLにしてます'),
      ...dialogue('g3', 'STARTTLSを選んでいる', 'port is 465', 'still failing'),
    ]);
    expect(out[1]).toMatchObject({ kind: 'followup', entry: 'tls-wrong-mode' });
    expect(out[1]?.text).toContain('STARTTLS');
    // Both named ("STARTTLSではなくSSL/TLS") tells nothing for sure; the next message does, and the app's menu comes with it.
    expect(out[3]?.text).not.toMatch(/組み合わせが合っていません/);
    expect(out[4]).toMatchObject({ entry: 'tls-wrong-mode', client: 'thunderbird' });
    expect(out[4]?.text).toContain('Thunderbird');
    // The conversation's language holds for an English turn.
    expect(out[6]?.text).toMatch(/465 番では暗号化を「SSL\/TLS」/);
    // "Still failing" moves on; the mismatch is not said again.
    expect(out[7]?.kind).toBe('followup');
    expect(out[7]?.text).not.toMatch(/組み合わせが合っていません|don.t go together/);
  });

  it('tells nothing when the pair fits, when both are only compared, or when the words are an error', async () => {
    const out = await converse([
      ...dialogue('h1', 'ポート587でSTARTTLSにしています', 'まだダメです'),
      ...dialogue('h2', 'SSLとSTARTTLSの違いは何ですか', 'ポートは587です'),
      ...dialogue('h3', 'port 465 with SSL/TLS, still not sending'),
      ...dialogue('h4', 'port 25, no encryption, on the office relay'),
      // A question about a setting names it without saying it is the user's.
      ...dialogue('h5', 'SSL/TLSって何ですか？', 'ポートは587です'),
      ...dialogue('h6', 'what does STARTTLS mean?', 'I am on port 465'),
    ]);
    for (const o of out) expect(o.text, o.text).not.toMatch(/組み合わせが合っていません|don.t go together/);
    expect(out[2]).toMatchObject({ kind: 'answer', topic: 'ssl-tls-starttls' });
  });
});
