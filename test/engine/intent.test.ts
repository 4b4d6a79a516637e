// Reading a chat turn: what it asks for (src/engine/intent.ts), learned from knowledge/intents/ and checked on the
// wordings themselves and on user wordings that are not in the data.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/diagnose.js';
import { buildIntentIndex, intentIndexOf, INTENT_IDS, maskTurn, readTurn, stepOf, turnFeatures, type IntentId } from '../../src/engine/intent.js';
import { loadIntentWordings, loadKnowledge } from '../../src/knowledge/load.js';
import { intentDataHash, trainSoftmax } from '../../scripts/lib/intent-learn.js';
import { realIndex } from '../support/kb.js';

const kb = loadKnowledge();
const wordings = loadIntentWordings(kb);
const index = intentIndexOf(realIndex());

describe('intent model (knowledge/model/intents.json)', () => {
  it('was trained from the wordings, topics and feature code as they are now (else: npm run train:intents)', () => {
    expect(kb.intentModel, 'knowledge/model/intents.json is missing: run npm run train:intents').toBeTruthy();
    expect(
      kb.intentModel?.dataHash,
      'knowledge/intents/, the topics\' phrases, ja-forms or the code that reads a turn (src/engine/intent.ts, normalize.ts, jaforms.ts, scripts/lib/intent-learn.ts) changed since the model was made: run npm run train:intents',
    ).toBe(intentDataHash(kb, wordings));
  });

  it('has every intent as a class and every topic as a topic class', () => {
    expect(kb.intentModel?.intents.classes).toEqual([...INTENT_IDS]);
    expect([...(kb.intentModel?.topics.classes ?? [])].sort()).toEqual(kb.topics.map((t) => t.id).sort());
  });

  it('records a grouped cross-validation', () => {
    const cv = kb.intentModel?.crossValidation ?? {};
    expect(cv.folds).toBe(10);
    expect(cv.wordings).toBe(wordings.length);
    expect(cv.accuracy).toBeGreaterThan(0.5);
  });

  it('trains the same weights from the same data (deterministic)', () => {
    const some = wordings.filter((_, i) => i % 7 === 0).map((w) => ({ text: w.text, label: w.intent, lang: w.lang, family: '' }));
    const features = (t: string) => turnFeatures(t, realIndex().canon);
    expect(trainSoftmax(some, [...INTENT_IDS], features)).toEqual(trainSoftmax(some, [...INTENT_IDS], features));
  });
});

describe('every wording of knowledge/intents/ is read as its intent', () => {
  const misses = wordings
    .map((w) => ({ w, r: readTurn(index, w.text) }))
    .filter(({ w, r }) => r.intent !== w.intent || (w.topic !== null && r.topic !== w.topic))
    .map(({ w, r }) => `${w.file}: "${w.text}" read as ${r.intent}${r.topic ? ` (${r.topic})` : ''}, not ${w.intent}${w.topic ? ` (${w.topic})` : ''}`);
  it(`all ${wordings.length} of them, with a question's topic`, () => {
    expect(misses).toEqual([]);
  });
  it('covers every intent in both languages', () => {
    for (const intent of INTENT_IDS) {
      for (const lang of ['ja', 'en'] as const) {
        expect(wordings.filter((w) => w.intent === intent && w.lang === lang).length, `${intent} (${lang})`).toBeGreaterThanOrEqual(5);
      }
    }
  });
});

// User wordings that are not in knowledge/intents/ (checked by the first test below): the model must generalise.
const HELD_OUT: [string, IntentId, string | null][] = [
  ['587にしても同じでした', 'still-failing', null],
  ['SSLにしてみたけど変わらずです', 'still-failing', null],
  ['still no luck after switching to 465', 'still-failing', null],
  ['ok that worked, thank you!', 'solved', null],
  ['送信できるようになりました！助かりました', 'solved', null],
  ['その次は何をすればいいでしょう', 'next', null],
  ['ok what should I look at next', 'next', null],
  ['ステップ2は問題なしです', 'step-done', null],
  ['サンダーバードでのやり方は？', 'which-app', null],
  ['どのポートを使えばいいの？', 'question', 'smtp-ports'],
  ["What's STARTTLS?", 'question', 'ssl-tls-starttls'],
  ['アプリパスワードってどこで発行するんですか', 'question', 'app-passwords'],
  ['DMARCってなんですか？', 'question', 'spf-dkim-dmarc'],
  ['POP before SMTPってまだ使えますか', 'question', 'pop-before-smtp'],
  ['mail.example.jp の接続テストをして', 'probe', null],
  ['プロバイダはso-netです', 'which-app', null],
  ['ありがとうございます、助かります！', 'thanks', null],
  ['今日の飲み会って何時からだっけ', 'chitchat', null],
];

describe('user wordings not in the data', () => {
  it('are not among the wordings', () => {
    const known = new Set(wordings.map((w) => w.text.normalize('NFKC').toLowerCase()));
    for (const [text] of HELD_OUT) expect(known.has(text.normalize('NFKC').toLowerCase()), text).toBe(false);
  });
  for (const [text, intent, topic] of HELD_OUT) {
    it(`"${text}" → ${intent}${topic ? ` (${topic})` : ''}`, () => {
      const r = readTurn(index, text);
      expect(r.intent).toBe(intent);
      if (topic) expect(r.topic).toBe(topic);
    });
  }
});

describe('what the engine decides', () => {
  it('a pasted error is an error, even with follow-up words around it', () => {
    expect(readTurn(index, 'Error: Invalid login: 535-5.7.8 Username and Password not accepted.').intent).toBe('error');
    expect(readTurn(index, '587にしたら今度は 535 5.7.8 Authentication credentials invalid と出ました').intent).toBe('error');
  });
  it('a question about a code gets no topic: the engine explains the code', () => {
    for (const text of ['535 5.7.8って何ですか', 'what does 550 5.7.1 mean?']) expect(readTurn(index, text).topic, text).toBeNull();
  });
  it('a trouble told in words is a symptom', () => {
    expect(readTurn(index, 'Outlookでメールが送れなくなりました').intent).toBe('symptom');
    expect(readTurn(index, "can't send mail from Thunderbird since yesterday").intent).toBe('symptom');
  });
  it('a check word in passing asks for no probe (issue 10)', () => {
    const r = readTurn(index, '送信サーバーは127.0.0.1、ポート587です。設定は確認してみましたがダメでした');
    expect(r.intent).not.toBe('probe');
    expect(r.intent).toBe('still-failing');
  });
  it('asks for a live test only when the model is sure of the request', () => {
    for (const text of ['just a test, ignore this', 'テスト送信したけど届かない', 'I tested it and it still fails', 'チェックしてみたけどダメ', 'smtp.example.net', '送信サーバーは mail.example.org です', 'we use smtp.example.jp']) {
      expect(readTurn(index, text).intent, text).not.toBe('probe');
    }
  });
  it('reads the same with the engine\'s analysis given as without', () => {
    const text = 'ポートは何番にすればいいですか？';
    expect(readTurn(index, text, analyze(realIndex(), text))).toEqual(readTurn(index, text));
  });
  it('an empty turn is chit-chat', () => {
    expect(readTurn(index, '   ').intent).toBe('chitchat');
  });
});

describe('a knowledge base without an intent model', () => {
  it('reads questions and symptoms from the topics alone', () => {
    const bare = buildIntentIndex(realIndex(), null);
    expect(readTurn(bare, 'OP25Bとは')).toMatchObject({ intent: 'question', topic: 'op25b' });
    expect(readTurn(bare, 'メールが送れません').intent).toBe('symptom');
  });
});

describe('numbers are no evidence of intent', () => {
  it('masks numbers, host names and addresses before the model reads a turn', () => {
    expect(maskTurn('587にしたけど smtp.example.jp は taro@example.jp でダメ')).not.toMatch(/587|example/);
    expect(turnFeatures('465にしたけどダメ', realIndex().canon)).toEqual(turnFeatures('587にしたけどダメ', realIndex().canon));
  });
});

describe('the step a turn names', () => {
  const cases: [string, number | null][] = [
    ['1番は大丈夫でした', 1],
    ['２番目もOK', 2],
    ['ステップ3で引っかかりました', 3],
    ['手順4ができません', 4],
    ['三つ目はダメでした', 3],
    ['三番目はダメでした', 3],
    ['②がダメ', 2],
    ['step 2 done', 2],
    ['the second step is fine', 2],
    ['#5 ok', 5],
    ['587にしたけどまだダメです', null],
    ['25番ポートがブロックされています', null],
    ['port 587 still fails', null],
    ['I changed it to 587 and it still fails', null],
  ];
  for (const [text, step] of cases) {
    it(`"${text}" → ${step}`, () => {
      expect(stepOf(text)).toBe(step);
    });
  }
  it('comes with the reading', () => {
    expect(readTurn(index, '1番は大丈夫でした')).toMatchObject({ intent: 'step-done', step: 1 });
  });
});
