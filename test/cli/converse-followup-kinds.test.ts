/**
 * Kinds of follow-up found by the blind dialogues-4 set (helper D5): a product's all-caps name in a follow-up is no
 * pasted error code; "it works! why?" closes; a test request torn between the server test and the DNS check is still
 * a request; a setting told as a statement after a diagnosis goes on with the search; a question about the cause asked
 * after a test goes on from the trouble; a provider named right after an answer gets that answer with its facts.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const TIMEOUT = 'Error: connect ETIMEDOUT 192.0.2.44:587';

describe('follow-up kinds', () => {
  it('a product name shaped like an error code, in a sure follow-up, is no new paste (ja, en)', async () => {
    const out = await converse([...dialogue('av-ja', TIMEOUT, 'ウイルス対策はESETを使ってます'), ...dialogue('av-en', TIMEOUT, 'yes I checked that, ESET is installed')]);
    expect(out[1]?.kind, out[1]?.text).not.toBe('diagnosis');
    expect(out[3]?.kind, out[3]?.text).not.toBe('diagnosis');
  });

  it('"it works! why?" is a close, not the next step of the checklist (ja)', async () => {
    const out = await converse(dialogue('why-ja', 'メールが急に送れなくなりました', 'ルーターを再起動したら送れました！どうして？'));
    expect(out[0]?.kind).toBe('symptom');
    expect(out[1]?.kind, out[1]?.text).toBe('closing');
  });

  it('a test request read between the server test and the DNS check still asks for a test, on the server named', async () => {
    const out = await converse([{ conversation: 'req', text: 'mail.example.net をチェックしてくれる？' }]);
    expect(out[0]?.kind, out[0]?.text).toBe('probe');
    expect(out[0]?.probeTarget).toBe('mail.example.net');
  });

  it('a setting told as a statement after a diagnosis goes on with the search, a question about it is answered', async () => {
    const out = await converse([...dialogue('set-en', TIMEOUT, "I've got it on SSL with 465"), ...dialogue('ask-en', TIMEOUT, 'what is the difference between 465 and 587?')]);
    expect(out[1]?.kind, out[1]?.text).toBe('followup');
    expect(out[3]?.kind, out[3]?.text).toBe('answer');
    expect(out[3]?.topic).toBe('smtp-ports');
  });

  it('a provider named right after an answer gets that answer with its facts', async () => {
    const out = await converse(dialogue('prov-ja', 'DKIMの設定って必要ですか？', 'ドメインはXserverで契約してます'));
    expect(out[0]?.kind).toBe('answer');
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[1]?.provider).toBe('xserver');
  });
});
