/**
 * Reads and validates knowledge/: entries/*.yaml (one entry a file), checklist.yaml, topics/*.yaml, ui/*.yaml,
 * providers/*.yaml and clients/*.yaml (one a file, every fact sourced and dated), intents/<intent>.yaml and the models.
 * File I/O lives here so that the engine itself stays pure; a broken file is reported with its path and field.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import yaml from 'js-yaml';
import type { z } from "zod";
import { DEFAULT_KNOWLEDGE_DIR } from './snapshot.js';
import type { ModelFile } from '../engine/model.js';
import type { IntentId, IntentModelFile } from '../engine/intent.js';
import type { MailClient, Provider } from '../engine/facts.js';
import type { ChecklistStep, ContextVocabulary, JaForms, KnowledgeBase, KnowledgeEntry, Topic, UiStrings } from '../engine/types.js';
import { aboutSchema, bouncesSchema, checklistSchema, clientSchema, contextSchema, entrySchema, intentFileSchema, jaFormsSchema, optionsSchema, providerSchema, topicSchema, uiSchema } from './schema.js';

export const MODEL_FILE = 'model/classifier.json';
export const INTENT_MODEL_FILE = 'model/intents.json';

export { DEFAULT_KNOWLEDGE_DIR };

export class KnowledgeError extends Error {
  constructor(readonly problems: string[]) {
    super(`knowledge base is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'KnowledgeError';
  }
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

function parseFile<S extends z.ZodType>(file: string, root: string, schema: S, problems: string[]): z.output<S> | null {
  const name = relative(root, file);
  let raw: unknown;
  try {
    raw = yaml.load(readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    problems.push(`${name}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${name}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    return null;
  }
  return result.data;
}

/** The model made by scripts/train.ts; a knowledge base without one is read by the rules alone. */
function readModel(dir: string, problems: string[]): ModelFile | null {
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ModelFile;
    if (typeof data.rows !== 'string' || !Array.isArray(data.classes) || typeof data.bits !== 'number') throw new Error('not a model made by scripts/train.ts');
    return data;
  } catch (err) {
    problems.push(`${MODEL_FILE}: ${(err as Error).message}`);
    return null;
  }
}

/** One wording of knowledge/intents/: a turn as users write it, labelled with what it asks for. */
export interface IntentWording {
  intent: IntentId;
  text: string;
  lang: 'ja' | 'en';
  source: string;
  topic: string | null;
  file: string;
  /** Its place in its group's list for its language: neighbours were written together. */
  at: number;
}

/**
 * knowledge/intents/<intent>.yaml, validated: the file is named after its intent, a question's topic exists, and no
 * wording is given two intents. Problems are added to `problems`, naming the file and the field.
 */
export function readIntentWordings(dir: string, topicIds: ReadonlySet<string>, problems: string[]): IntentWording[] {
  const out: IntentWording[] = [];
  const seen = new Map<string, string>();
  for (const file of yamlFiles(join(dir, 'intents'))) {
    const data = parseFile(file, dir, intentFileSchema, problems);
    if (!data) continue;
    const name = relative(dir, file);
    if (basename(file).replace(/\.ya?ml$/, '') !== data.intent) problems.push(`${name}: intent: "${data.intent}" is not the file's name`);
    data.wordings.forEach((g, i) => {
      if (g.topic && !topicIds.has(g.topic)) problems.push(`${name}: wordings.${i}.topic: no topic "${g.topic}" in topics/`);
      if (g.topic && data.intent !== 'question') problems.push(`${name}: wordings.${i}.topic: only questions have a topic`);
      for (const lang of ['ja', 'en'] as const) {
        g[lang].forEach((text, j) => {
          const key = text.normalize('NFKC').toLowerCase().trim();
          const other = seen.get(key);
          if (other && other !== data.intent) problems.push(`${name}: wordings.${i}.${lang}.${j}: "${text}" is also a wording of ${other}`);
          seen.set(key, data.intent);
          out.push({ intent: data.intent, text, lang, source: g.source, topic: g.topic ?? null, file: name, at: j });
        });
      }
    });
  }
  return out;
}

/** The wordings of knowledge/intents/ for a loaded knowledge base (training, evaluation, tests). */
export function loadIntentWordings(kb: KnowledgeBase, dir: string = DEFAULT_KNOWLEDGE_DIR): IntentWording[] {
  const problems: string[] = [];
  const wordings = readIntentWordings(dir, new Set(kb.topics.map((t) => t.id)), problems);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return wordings;
}

/** The intent model made by scripts/train-intents.ts; without one, turns are read by the engine's topics alone. */
function readIntentModel(dir: string, problems: string[]): IntentModelFile | null {
  const file = join(dir, INTENT_MODEL_FILE);
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as IntentModelFile;
    const ok = (s: IntentModelFile['intents'] | undefined) => s && Array.isArray(s.classes) && typeof s.rows === 'string' && Array.isArray(s.bias);
    if (typeof data.bits !== 'number' || !ok(data.intents) || !ok(data.topics)) throw new Error('not a model made by scripts/train-intents.ts');
    return data;
  } catch (err) {
    problems.push(`${INTENT_MODEL_FILE}: ${(err as Error).message}`);
    return null;
  }
}

/** One record a file, ids unique across the folder; each gets the file it came from. */
function loadFolder<S extends z.ZodType<{ id: string }>>(dir: string, folder: string, schema: S, problems: string[]): (z.output<S> & { file: string })[] {
  const out: (z.output<S> & { file: string })[] = [];
  const seen = new Map<string, string>();
  for (const file of yamlFiles(join(dir, folder))) {
    const data = parseFile(file, dir, schema, problems);
    if (!data) continue;
    const name = relative(dir, file);
    const earlier = seen.get(data.id);
    if (earlier) {
      problems.push(`${name}: id: "${data.id}" is already used by ${earlier}`);
      continue;
    }
    seen.set(data.id, name);
    out.push({ ...data, file: name });
  }
  return out;
}

export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const problems: string[] = [];
  const entries: KnowledgeEntry[] = loadFolder(dir, 'entries', entrySchema, problems);

  const single = <S extends z.ZodType>(name: string, schema: S): z.output<S> | null => {
    const file = join(dir, name);
    if (existsSync(file)) return parseFile(file, dir, schema, problems);
    problems.push(`${name}: missing`);
    return null;
  };
  const checklist: ChecklistStep[] = single('checklist.yaml', checklistSchema)?.steps ?? [];
  const context: ContextVocabulary = single('context.yaml', contextSchema) ?? { clients: [], providers: [], recently: { ja: [], en: [] }, encryption: { ssl: { ja: [], en: [] }, starttls: { ja: [], en: [] }, none: { ja: [], en: [] } }, portSecurity: {} };
  const jaForms: JaForms = single('ja-forms.yaml', jaFormsSchema) ?? { spellings: {}, endings: [] };

  // Optional: without it, the speak-up model is not told what else an error may be about.
  const aboutFile = join(dir, 'about.yaml');
  const about = existsSync(aboutFile) ? parseFile(aboutFile, dir, aboutSchema, problems) : null;

  // Optional: a knowledge base without it reads bounces by their words alone.
  const bouncesFile = join(dir, 'bounces.yaml');
  const bounces = existsSync(bouncesFile) ? parseFile(bouncesFile, dir, bouncesSchema, problems) : null;
  if (bounces) {
    for (const s of [...bounces.stages, ...bounces.named]) {
      const e = entries.find((x) => x.id === s.entry);
      if (!e || e.category !== s.to) problems.push(`bounces.yaml: stage entry ${s.entry} is not an entry of category ${s.to}`);
    }
  }

  const topics: Topic[] = [];
  for (const file of yamlFiles(join(dir, 'topics'))) {
    const data = parseFile(file, dir, topicSchema, problems);
    if (data) topics.push(data);
  }

  const ui: UiStrings = {};
  for (const file of yamlFiles(join(dir, 'ui'))) {
    const data = parseFile(file, dir, uiSchema, problems);
    if (!data) continue;
    for (const [key, value] of Object.entries(data)) {
      if (key in ui) problems.push(`${relative(dir, file)}: ${key}: defined twice`);
      ui[key] = value;
    }
  }

  const model = readModel(dir, problems);
  const providers: Provider[] = loadFolder(dir, 'providers', providerSchema, problems);
  const clients: MailClient[] = loadFolder(dir, 'clients', clientSchema, problems);
  readIntentWordings(dir, new Set(topics.map((t) => t.id)), problems);
  const intentModel = readIntentModel(dir, problems);

  // Optional: without it, "I can't find that option" gets the way to the app's settings alone.
  const optionsFile = join(dir, 'options.yaml');
  const options = existsSync(optionsFile) ? (parseFile(optionsFile, dir, optionsSchema, problems)?.options ?? []) : [];
  options.forEach((o, i) => {
    for (const id of o.topics) if (!topics.some((x) => x.id === id)) problems.push(`options.yaml: options.${i}.topics: no topic "${id}"`);
    for (const id of o.entries) if (!entries.some((x) => x.id === id)) problems.push(`options.yaml: options.${i}.entries: no entry "${id}"`);
    for (const id of o.providers) if (!providers.some((x) => x.id === id)) problems.push(`options.yaml: options.${i}.providers: no provider "${id}"`);
  });

  if (entries.length === 0) problems.push('entries/: no knowledge entries found');
  if (context.mismatchEntry && !entries.some((e) => e.id === context.mismatchEntry)) problems.push(`context.yaml: mismatchEntry: no entry "${context.mismatchEntry}"`);
  (context.told ?? []).forEach((f, i) => {
    for (const id of [...f.rulesOut, ...f.steps]) if (!checklist.some((s) => s.id === id)) problems.push(`context.yaml: told.${i} (${f.id}): no checklist step "${id}"`);
    for (const id of f.entries) if (!entries.some((e) => e.id === id)) problems.push(`context.yaml: told.${i} (${f.id}): no entry "${id}"`);
    if (f.words.ja.length + f.words.en.length + f.ports.length === 0) problems.push(`context.yaml: told.${i} (${f.id}): neither words nor ports`);
  });
  if (problems.length > 0) throw new KnowledgeError(problems);
  return { entries, checklist, topics, ui, context, jaForms, model, providers, clients, intentModel, bounces, options, about };
}
