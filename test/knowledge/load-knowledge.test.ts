import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeError, loadKnowledge, parseArticle, readKnowledgeDir } from '../../src/knowledge/load-knowledge.ts';
import { articleText, knowledgeDir } from './fixtures.ts';

const repoKnowledge = join(import.meta.dirname, '../../knowledge');

function problemsOf(text: string) {
  return parseArticle('bad.md', text).problems.map((p) => `${p.file}:${p.field}: ${p.message}`);
}

describe('the bundled knowledge base', () => {
  it('loads with no problems and covers the required error codes', () => {
    const { articles, problems } = readKnowledgeDir(repoKnowledge);
    expect(problems).toEqual([]);
    const ids = articles.map((a) => a.id);
    for (const id of ['XERO11', 'XERO01', 'TOKEN_EXPIRED', 'RECONNECT', 'RETRY_FAILED_EXPORTS', 'NOT_CONNECTED', 'SESSION_TIMEOUT',
      'ORG_GREYED_OUT', 'INTEGRATION_TOGGLE_OFF', 'CONNECT_SETUP_FAILED', 'CONTACT_NOT_FOUND', 'INVALID_ACCOUNT_CODE',
      'INVALID_TAX_RATE', 'MORE_INFO_REQUIRED', 'UNEXPECTED_ERROR', 'INVOICE_NOT_SYNCING', 'OUT_OF_SYNC', 'PAYMENTS_NOT_APPEARING',
      'ARCHIVE_SYNC_ERROR', 'PERIOD_LOCKED', 'RATE_LIMITED', 'CURRENCY_NOT_ENABLED', 'DUPLICATE_NUMBER', 'TRACKING_OPTION_INVALID',
      'ORG_SUBSCRIPTION_INACTIVE', 'XERO_OUTAGE']) {
      expect(ids).toContain(id);
    }
  });

  it('gives every article numbered steps and FAQ entries to show in Slack', () => {
    for (const a of loadKnowledge(repoKnowledge)) {
      expect(a.steps.length, a.file).toBeGreaterThan(0);
      expect(a.faq.length, a.file).toBeGreaterThan(0);
      expect(a.sections.meaning, a.file).not.toBe('');
    }
  });
});

describe('parseArticle', () => {
  it('parses front-matter, sections, steps and FAQ', () => {
    const { article, problems } = parseArticle('ok.md', articleText({ id: 'GOOD', codes: ['GOOD1'], actions: ['retry'] }));
    expect(problems).toEqual([]);
    expect(article?.id).toBe('GOOD');
    expect(article?.steps).toEqual(['First step.', 'Second step.']);
    expect(article?.faq).toEqual([{ question: 'Is this a question?', answer: 'Yes, and this is the answer.' }]);
  });

  it('reports a missing front-matter block', () => {
    expect(problemsOf('# Just a heading\n')).toEqual([
      'bad.md:front-matter: missing: the file must start with a "---" line, YAML, and a closing "---" line',
    ]);
  });

  it('reports broken YAML with its line', () => {
    const [problem] = problemsOf('---\nid: X\ntitle: [unclosed\n---\n');
    expect(problem).toMatch(/^bad\.md:front-matter: is not valid YAML \(front-matter line \d+\)/);
  });

  it('names each invalid field', () => {
    const text = articleText({ id: 'lower-case', category: 'weather', actions: ['explode'], symptoms: [] });
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith('bad.md:id: must be upper case'))).toBe(true);
    expect(problems.some((p) => p.startsWith('bad.md:category:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('bad.md:actions.0:'))).toBe(true);
    expect(problems).toContain('bad.md:symptoms: must list at least one way people describe the problem');
  });

  it('rejects unknown front-matter fields, which are usually typos', () => {
    const text = articleText({ id: 'TYPO' }).replace('codes:', 'cdoes:');
    expect(problemsOf(text).some((p) => p.startsWith('bad.md:front-matter:') && p.includes('cdoes'))).toBe(true);
  });

  it('requires every body section and numbered steps', () => {
    const text = articleText({ id: 'NOBODY', body: '## What it means\nText.\n\n## How to fix it\nJust do it.\n' });
    expect(problemsOf(text)).toEqual([
      'bad.md:body.causes: missing the "## Why it happens" section',
      'bad.md:body.faq: missing the "## FAQ" section',
      'bad.md:body.fix: has no numbered steps ("1. ...")',
    ]);
  });
});

describe('readKnowledgeDir', () => {
  it('reports duplicate ids, duplicate codes and dangling related ids across files', () => {
    const dir = knowledgeDir({
      'a.md': articleText({ id: 'ALPHA', codes: ['SHARED1'], related: ['MISSING'] }),
      'b.md': articleText({ id: 'ALPHA', codes: ['shared1'] }),
    });
    const messages = readKnowledgeDir(dir).problems.map((p) => `${p.file}:${p.field}: ${p.message}`);
    expect(messages).toContain('b.md:id: "ALPHA" is already used by a.md');
    expect(messages).toContain('b.md:codes: "shared1" is already claimed by a.md');
    expect(messages).toContain('a.md:related.0: "MISSING" is not the id of any article');
  });

  it('says when the folder does not exist', () => {
    const { problems } = readKnowledgeDir('/nonexistent/knowledge');
    expect(problems[0]?.message).toContain('does not exist');
  });

  it('loadKnowledge throws one error listing every problem', () => {
    const dir = knowledgeDir({ 'a.md': 'no front matter', 'b.md': articleText({ id: 'B', category: 'nope' }) });
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    try {
      loadKnowledge(dir);
    } catch (err) {
      expect((err as KnowledgeError).problems.map((p) => p.file)).toEqual(['a.md', 'b.md']);
    }
  });
});
