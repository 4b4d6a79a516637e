// The learned model is generated data: it must be the one its inputs make, decode cleanly and explain itself.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { loadModel, predict } from '../../src/engine/model.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { allCases } from '../../scripts/lib/cases.js';
import { inputHash } from '../../scripts/lib/hash.js';
import { CHAT_LIMITS } from '../../scripts/lib/crossval.js';
import { CLASSES } from '../../scripts/lib/learn.js';
import { realIndex } from '../support/kb.js';

describe('learned model (knowledge/model/classifier.json)', () => {
  const kb = loadKnowledge();

  it('was trained from the labelled data and feature code as they are now (else: npm run train)', () => {
    expect(kb.model, 'knowledge/model/classifier.json is missing: run npm run train').not.toBeNull();
    expect(kb.model?.dataHash, 'the labelled cases, the code that reads a paste (src/engine: features, diagnose, signals, normalize, redact), knowledge/ja-forms.yaml or scripts/lib/learn.ts changed since the model was made: run npm run train').toBe(inputHash(allCases(kb)));
  });

  it('has every class the engine knows, and weights that decode', () => {
    expect(kb.model?.classes).toEqual(CLASSES);
    const model = loadModel(kb.model!);
    expect(model.entries.length).toBeGreaterThan(10_000);
    const p = predict(model, ['w:relay', 'w:access', 'w:denied', 'b:relay access', 'b:access denied', 'sc:5.7.1']);
    expect(model.classes[p.probs.indexOf(Math.max(...p.probs))]).toBe('relay-denied');
  });

  it('has an error head that tells a reported failure from talk about mail', () => {
    const model = loadModel(kb.model!);
    expect(kb.model?.error, 'the error head is missing: run npm run train').toBeDefined();
    const error = predict(model, ['w:relay', 'w:access', 'w:denied', 'b:relay access', 'b:access denied', 'sc:5.7.1', 'rc:554']).error;
    const talk = predict(model, ['w:thanks', 'w:for', 'w:the', 'w:lunch', 'w:see', 'w:you', 'w:tomorrow']).error;
    expect(error).toBeGreaterThan(0.8);
    expect(talk).toBeLessThan(0.5);
  });

  it('records the cross-validated figures it was fitted on, within the bounds the fit enforces', () => {
    const cv = kb.model?.crossValidation ?? {};
    expect(cv.folds).toBe(10);
    expect(cv.top1).toBeGreaterThanOrEqual(0.9);
    // The speak-up threshold is the lowest that keeps the bot silent on channel chat and on real text about mail.
    expect(cv.channelChatRespond).toBeLessThanOrEqual(CHAT_LIMITS.chat);
    expect(cv.nearMissChatRespond).toBeLessThanOrEqual(CHAT_LIMITS.nearMiss);
  });

  it("explains an answer with the words of the user's own paste", () => {
    const text = 'Outlookでメールを送ろうとするとパスワードを何度も聞かれて送信できない';
    const d = diagnose(realIndex(), text);
    expect(d.category).toBe('auth-failed');
    const words = d.evidence.filter((e) => e.kind === 'model').map((e) => e.value);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(text.toLowerCase().replace(/[\s、。]/g, ''), w).toContain(w.replace(/ /g, ''));
  });
});
