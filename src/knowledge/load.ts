/**
 * Reads and validates knowledge/: entries/*.yaml (one entry a file), checklist.yaml, topics/*.yaml, ui/*.yaml,
 * providers/*.yaml and clients/*.yaml (one a file, every fact sourced and dated).
 * File I/O lives here so that the engine itself stays pure; a broken file is reported with its path and field.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import type { z } from "zod";
import { DEFAULT_KNOWLEDGE_DIR } from './snapshot.js';
import type { ModelFile } from '../engine/model.js';
import type { MailClient, Provider } from '../engine/facts.js';
import type { ChecklistStep, ContextVocabulary, IntentVocabulary, JaForms, KnowledgeBase, KnowledgeEntry, Topic, UiStrings } from '../engine/types.js';
import { checklistSchema, clientSchema, contextSchema, entrySchema, intentsSchema, jaFormsSchema, providerSchema, topicSchema, uiSchema } from './schema.js';

export const MODEL_FILE = 'model/classifier.json';

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
  const context: ContextVocabulary = single('context.yaml', contextSchema) ?? { clients: [], providers: [], recently: { ja: [], en: [] } };
  const intents: IntentVocabulary = single('intents.yaml', intentsSchema) ?? { checklist: [], probe: [], check: [], help: [] };
  const jaForms: JaForms = single('ja-forms.yaml', jaFormsSchema) ?? { spellings: {}, endings: [] };

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

  if (entries.length === 0) problems.push('entries/: no knowledge entries found');
  if (problems.length > 0) throw new KnowledgeError(problems);
  return { entries, checklist, topics, ui, context, intents, jaForms, model, providers, clients };
}
