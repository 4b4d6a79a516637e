/**
 * Reads and validates knowledge/: entries/*.yaml (one entry a file), checklist.yaml, topics/*.yaml and ui/*.yaml.
 * File I/O lives here so that the engine itself stays pure; a broken file is reported with its path and field.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { z } from "zod";
import type { ChecklistStep, ContextVocabulary, IntentVocabulary, KnowledgeBase, KnowledgeEntry, Topic, UiStrings } from '../engine/types.js';
import { checklistSchema, contextSchema, entrySchema, intentsSchema, topicSchema, uiSchema } from './schema.js';

export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

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

export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const problems: string[] = [];
  const entries: KnowledgeEntry[] = [];
  const seen = new Map<string, string>();
  for (const file of yamlFiles(join(dir, 'entries'))) {
    const data = parseFile(file, dir, entrySchema, problems);
    if (!data) continue;
    const name = relative(dir, file);
    const earlier = seen.get(data.id);
    if (earlier) {
      problems.push(`${name}: id: "${data.id}" is already used by ${earlier}`);
      continue;
    }
    seen.set(data.id, name);
    entries.push({ ...data, file: name });
  }

  const single = <S extends z.ZodType>(name: string, schema: S): z.output<S> | null => {
    const file = join(dir, name);
    if (existsSync(file)) return parseFile(file, dir, schema, problems);
    problems.push(`${name}: missing`);
    return null;
  };
  const checklist: ChecklistStep[] = single('checklist.yaml', checklistSchema)?.steps ?? [];
  const context: ContextVocabulary = single('context.yaml', contextSchema) ?? { clients: [], providers: [], recently: { ja: [], en: [] } };
  const intents: IntentVocabulary = single('intents.yaml', intentsSchema) ?? { checklist: [], probe: [], check: [], help: [] };

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

  if (entries.length === 0) problems.push('entries/: no knowledge entries found');
  if (problems.length > 0) throw new KnowledgeError(problems);
  return { entries, checklist, topics, ui, context, intents };
}
