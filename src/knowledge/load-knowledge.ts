// Loads knowledge/*.md: YAML front-matter validated with zod, body split into its sections.
// Every problem is reported as file:field so `concierge kb lint` can point at the fix.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type * as Yaml from 'yaml';
import { frontMatterSchema, requiredSections, type Article, type FaqEntry, type SectionKey } from './article.ts';

export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
}

export class KnowledgeError extends Error {
  readonly code = 'knowledge_invalid';
  readonly problems: KnowledgeProblem[];
  constructor(problems: KnowledgeProblem[]) {
    super(`Knowledge base has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'KnowledgeError';
    this.problems = problems;
  }
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}:${p.field}: ${p.message}`;
}

// Loaded on the first parse: a compiled bot reads its articles already parsed (./knowledge-cache.ts).
let yaml: typeof Yaml | undefined;
const loadYaml = (): typeof Yaml => (yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

const frontMatterRe = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export interface ParsedArticle {
  article: Article | null;
  problems: KnowledgeProblem[];
}

/** Parses one article's text. `file` is only used to label problems. */
export function parseArticle(file: string, text: string): ParsedArticle {
  const problems: KnowledgeProblem[] = [];
  const match = frontMatterRe.exec(text.replace(/^\uFEFF/, ''));
  if (!match) {
    return {
      article: null,
      problems: [{ file, field: 'front-matter', message: 'missing: the file must start with a "---" line, YAML, and a closing "---" line' }],
    };
  }
  const [, yamlText = '', body = ''] = match;

  let raw: unknown;
  try {
    raw = loadYaml().parse(yamlText);
  } catch (err) {
    const where = err instanceof loadYaml().YAMLParseError && err.linePos ? ` (front-matter line ${err.linePos[0].line})` : '';
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { article: null, problems: [{ file, field: 'front-matter', message: `is not valid YAML${where}: ${message}` }] };
  }

  const fm = frontMatterSchema.safeParse(raw ?? {});
  if (!fm.success) {
    for (const issue of fm.error.issues) {
      const field = issue.path.length ? issue.path.join('.') : 'front-matter';
      problems.push({ file, field, message: issue.message });
    }
  }

  const sections = splitSections(body);
  for (const [key, heading] of Object.entries(requiredSections) as [SectionKey, string][]) {
    if (!sections[key]?.trim()) problems.push({ file, field: `body.${key}`, message: `missing the "## ${heading}" section` });
  }
  const steps = numberedSteps(sections.fix ?? '');
  if (sections.fix && steps.length === 0) {
    problems.push({ file, field: 'body.fix', message: 'has no numbered steps ("1. ...")' });
  }
  const faq = faqEntries(sections.faq ?? '');
  if (sections.faq && faq.length === 0) {
    problems.push({ file, field: 'body.faq', message: 'has no questions ("### Question?" followed by the answer)' });
  }

  if (!fm.success || problems.length) return { article: null, problems };
  return {
    article: {
      ...fm.data,
      file,
      sections: sections as Record<SectionKey, string>,
      steps,
      faq,
      body: body.trim(),
    },
    problems,
  };
}

function splitSections(body: string): Partial<Record<SectionKey, string>> {
  const byHeading = new Map(Object.entries(requiredSections).map(([key, heading]) => [heading.toLowerCase(), key as SectionKey]));
  const out: Partial<Record<SectionKey, string>> = {};
  let current: SectionKey | null = null;
  const lines: string[] = [];
  const flush = () => {
    if (current) out[current] = lines.join('\n').trim();
    lines.length = 0;
  };
  for (const line of body.split(/\r?\n/)) {
    const h2 = /^##\s+(.+?)\s*$/.exec(line);
    if (h2 && !line.startsWith('###')) {
      flush();
      current = byHeading.get(h2[1]!.toLowerCase()) ?? null;
      continue;
    }
    if (current) lines.push(line);
  }
  flush();
  return out;
}

/** Numbered items of the first list in the section; continuation lines are joined on. */
function numberedSteps(section: string): string[] {
  const steps: string[] = [];
  let inList = false;
  for (const line of section.split('\n')) {
    const item = /^\s{0,3}\d+[.)]\s+(.*)$/.exec(line);
    if (item) {
      steps.push(item[1]!.trim());
      inList = true;
    } else if (inList && /^\s{2,}\S/.test(line)) {
      steps[steps.length - 1] += ` ${line.trim()}`;
    } else if (inList && (line.startsWith('#') || (line.trim() && !/^\s/.test(line)))) {
      break;
    }
  }
  return steps;
}

function faqEntries(section: string): FaqEntry[] {
  const entries: FaqEntry[] = [];
  for (const chunk of section.split(/^###\s+/m).slice(1)) {
    const [first = '', ...rest] = chunk.split('\n');
    const answer = rest.join('\n').trim();
    if (first.trim() && answer) entries.push({ question: first.trim(), answer });
  }
  return entries;
}

export interface LoadedKnowledge {
  articles: Article[];
  problems: KnowledgeProblem[];
}

/** The article files in `dir`: every *.md but README.md, sorted. Throws when the folder cannot be read. */
export function articleFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md')
    .sort();
}

/** Reads every *.md in `dir` (README.md excluded) and checks them as a set. Never throws on bad articles. */
export function readKnowledgeDir(dir: string): LoadedKnowledge {
  let names: string[];
  try {
    names = articleFileNames(dir);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(err);
    return { articles: [], problems: [{ file: dir, field: 'directory', message: `${reason}; set CONCIERGE_KNOWLEDGE_DIR to a folder of articles` }] };
  }
  const articles: Article[] = [];
  const problems: KnowledgeProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const parsed = parseArticle(basename(file), readFileSync(file, 'utf8'));
    problems.push(...parsed.problems);
    if (parsed.article) articles.push(parsed.article);
  }
  problems.push(...checkSet(articles));
  if (names.length === 0) problems.push({ file: dir, field: 'directory', message: 'has no .md articles' });
  return { articles, problems };
}

/** Problems that only show across articles: duplicate ids or codes, related ids that do not exist. */
export function checkSet(articles: Article[]): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const byId = new Map<string, Article>();
  const codeOwner = new Map<string, Article>();
  for (const a of articles) {
    const other = byId.get(a.id);
    if (other) problems.push({ file: a.file, field: 'id', message: `"${a.id}" is already used by ${other.file}` });
    else byId.set(a.id, a);
    for (const code of a.codes) {
      const key = code.toLowerCase();
      const owner = codeOwner.get(key);
      if (owner && owner !== a) problems.push({ file: a.file, field: 'codes', message: `"${code}" is already claimed by ${owner.file}` });
      else codeOwner.set(key, a);
    }
  }
  for (const a of articles) {
    a.related.forEach((id, i) => {
      if (!byId.has(id)) problems.push({ file: a.file, field: `related.${i}`, message: `"${id}" is not the id of any article` });
    });
  }
  return problems;
}

/** Loads the knowledge base or throws one KnowledgeError listing every problem. */
export function loadKnowledge(dir: string): Article[] {
  const { articles, problems } = readKnowledgeDir(dir);
  if (problems.length) throw new KnowledgeError(problems);
  return articles;
}
