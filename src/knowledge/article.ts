// The shape of a knowledge article: YAML front-matter checked with zod, plus the body's sections.
import { z } from 'zod';

export const categories = ['connection', 'setup', 'export', 'sync', 'platform'] as const;
export const articleActions = ['reconnect', 'retry', 'check_health', 'escalate', 'archive'] as const;

export type Category = (typeof categories)[number];
export type ArticleAction = (typeof articleActions)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const articleId = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be upper case letters, digits and underscores, e.g. XERO11');

export const frontMatterSchema = z.strictObject({
  id: articleId,
  title: nonEmpty,
  codes: z.array(nonEmpty).default([]),
  patterns: z.array(nonEmpty).default([]),
  signals: z.array(nonEmpty).default([]),
  symptoms: z.array(nonEmpty).min(1, 'must list at least one way people describe the problem'),
  category: z.enum(categories),
  actions: z.array(z.enum(articleActions)).default([]),
  related: z.array(articleId).default([]),
  links: z.array(z.strictObject({ title: nonEmpty, url: z.url() })).default([]),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** Body sections every article must have, keyed by the heading that introduces them. */
export const requiredSections = {
  meaning: 'What it means',
  causes: 'Why it happens',
  fix: 'How to fix it',
  faq: 'FAQ',
} as const;

export type SectionKey = keyof typeof requiredSections;

export interface FaqEntry {
  question: string;
  answer: string;
}

export interface Article extends FrontMatter {
  /** File the article was loaded from, for error messages. */
  file: string;
  sections: Record<SectionKey, string>;
  /** Numbered steps from "How to fix it", in order, without their numbers. */
  steps: string[];
  faq: FaqEntry[];
  body: string;
}

/** What callers outside the engine may show about an article without the whole body. */
export interface ArticleSummary {
  id: string;
  title: string;
  codes: string[];
  category: Category;
}

export function summarize(article: Article): ArticleSummary {
  return { id: article.id, title: article.title, codes: article.codes, category: article.category };
}
