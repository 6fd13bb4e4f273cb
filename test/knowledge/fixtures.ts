// Builds article files for loader and engine tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ArticleSpec {
  id: string;
  title?: string;
  codes?: string[];
  patterns?: string[];
  signals?: string[];
  symptoms?: string[];
  category?: string;
  actions?: string[];
  related?: string[];
  body?: string;
}

const defaultBody = `## What it means
Something went wrong.

## Why it happens
- A reason.

## How to fix it
1. First step.
2. Second step.

## FAQ
### Is this a question?
Yes, and this is the answer.
`;

export function articleText(spec: ArticleSpec): string {
  const list = (xs: string[] | undefined) => `[${(xs ?? []).map((x) => JSON.stringify(x)).join(', ')}]`;
  return `---
id: ${spec.id}
title: ${JSON.stringify(spec.title ?? `Title of ${spec.id}`)}
codes: ${list(spec.codes)}
patterns: ${list(spec.patterns)}
${spec.signals ? `signals: ${list(spec.signals)}\n` : ''}symptoms: ${list(spec.symptoms ?? [`symptom of ${spec.id}`])}
category: ${spec.category ?? 'export'}
actions: ${list(spec.actions ?? ['escalate'])}
related: ${list(spec.related)}
---

${spec.body ?? defaultBody}`;
}

/** A temporary knowledge folder holding the given files (name -> contents). */
export function knowledgeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
