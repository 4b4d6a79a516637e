import { z } from 'zod';
import { CATEGORY_IDS } from '../engine/types.js';

const text = z.strictObject({ ja: z.string().min(1), en: z.string().min(1) });
const phrases = z.strictObject({
  ja: z.array(z.string().min(2)).default([]),
  en: z.array(z.string().min(2)).default([]),
});

const statusCode = z
  .string()
  .regex(/^(?:[245x]\.\d{1,3}\.\d{1,3}|[45]\.x\.x)$/, 'an RFC 3463 code such as 5.7.1, x.1.1 (either class) or 4.x.x (any code of the class)');

export const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  category: z.enum(CATEGORY_IDS).exclude(['unknown']),
  priority: z.number().int().default(0),
  title: text,
  summary: text,
  causes: z.array(text).min(1),
  steps: z.array(text).min(1),
  probe: z.enum(['dns', 'ports', 'tls', 'auth', 'none']),
  signals: z.strictObject({
    replyCodes: z.array(z.number().int().min(200).max(599)).default([]),
    statusCodes: z.array(statusCode).default([]),
    errorCodes: z.array(z.string().min(2)).default([]),
    phrases: phrases.default({ ja: [], en: [] }),
    exclude: z.array(z.string().min(2)).default([]),
    combos: z
      .array(
        z
          .array(z.string().min(1).transform((part) => part.split('|').map((x) => x.trim()).filter((x) => x.length >= 2)))
          .min(2, 'a combo needs at least two parts (a single one is a phrase)')
          .refine((parts) => parts.every((p) => p.length > 0), 'every part needs an alternative of two characters or more'),
      )
      .default([]),
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
  }),
  references: z.array(z.string()).default([]),
  examples: z.array(z.string().min(1)).min(1),
});

export const checklistSchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]+$/),
        title: text,
        howto: text,
        categories: z.array(z.enum(CATEGORY_IDS)).default([]),
      }),
    )
    .min(1),
});

export const topicSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: text,
  body: text,
  phrases: phrases.default({ ja: [], en: [] }),
});

export const uiSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/), text);

const named = z.strictObject({ name: z.string().min(1), patterns: z.array(z.string().min(2)).min(1) });

export const contextSchema = z.strictObject({
  clients: z.array(named),
  providers: z.array(named),
  recently: phrases,
});

export const intentsSchema = z.strictObject({
  checklist: z.array(z.string().min(2)).min(1),
  probe: z.array(z.string().min(2)).min(1),
  check: z.array(z.string().min(2)).default([]),
  help: z.array(z.string().min(2)).min(1),
});
