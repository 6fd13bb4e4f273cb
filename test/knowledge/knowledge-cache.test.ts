// A compiled bot reads its articles from the build's cache, but never articles that changed since.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledKnowledgeCacheFile, loadKnowledgeCached, writeKnowledgeCache } from '../../src/knowledge/knowledge-cache.ts';
import { KnowledgeError, loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { articleText, knowledgeDir } from './fixtures.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = knowledgeDir(files);
  dirs.push(dir);
  return dir;
}

describe('the knowledge cache', () => {
  it('gives the articles exactly as parsing them does', () => {
    const dir = folder({ 'a.md': articleText({ id: 'A_ONE', codes: ['AX1'] }), 'b.md': articleText({ id: 'B_TWO', related: ['A_ONE'] }) });
    const cache = join(dir, 'cache.json');
    writeKnowledgeCache(dir, cache);
    expect(loadKnowledgeCached(dir, cache)).toEqual(loadKnowledge(dir));
  });

  it('is used while the files are the ones it holds', () => {
    const dir = folder({ 'a.md': articleText({ id: 'A_ONE' }) });
    const cache = join(dir, 'cache.json');
    writeKnowledgeCache(dir, cache);
    // Marked so that only a read from the cache can return it.
    const marked = JSON.parse(readFileSync(cache, 'utf8')) as { articles: { title: string }[] };
    marked.articles[0]!.title = 'from the cache';
    writeFileSync(cache, JSON.stringify(marked));
    expect(loadKnowledgeCached(dir, cache)[0]!.title).toBe('from the cache');
  });

  it('is ignored once an article is edited, added or removed', () => {
    const dir = folder({ 'a.md': articleText({ id: 'A_ONE' }) });
    const cache = join(dir, 'cache.json');
    writeKnowledgeCache(dir, cache);
    writeFileSync(join(dir, 'a.md'), articleText({ id: 'A_ONE', title: 'Edited title' }));
    expect(loadKnowledgeCached(dir, cache)[0]!.title).toBe('Edited title');
    writeFileSync(join(dir, 'b.md'), articleText({ id: 'B_TWO' }));
    expect(loadKnowledgeCached(dir, cache).map((a) => a.id)).toEqual(['A_ONE', 'B_TWO']);
    rmSync(join(dir, 'a.md'));
    expect(loadKnowledgeCached(dir, cache).map((a) => a.id)).toEqual(['B_TWO']);
  });

  it('never hides a broken article: it is parsed and reported', () => {
    const dir = folder({ 'a.md': articleText({ id: 'A_ONE' }) });
    const cache = join(dir, 'cache.json');
    writeKnowledgeCache(dir, cache);
    writeFileSync(join(dir, 'a.md'), '---\nid: [broken\n---\n');
    expect(() => loadKnowledgeCached(dir, cache)).toThrow(KnowledgeError);
    // And the build caches no broken knowledge base.
    expect(() => writeKnowledgeCache(dir, join(dir, 'other.json'))).toThrow(KnowledgeError);
  });

  it('falls back to parsing when the cache is missing or unreadable', () => {
    const dir = folder({ 'a.md': articleText({ id: 'A_ONE' }) });
    expect(loadKnowledgeCached(dir, join(dir, 'none.json')).map((a) => a.id)).toEqual(['A_ONE']);
    writeFileSync(join(dir, 'bad.json'), '{not json');
    expect(loadKnowledgeCached(dir, join(dir, 'bad.json')).map((a) => a.id)).toEqual(['A_ONE']);
  });

  it('is not read by code running from src/, whose parser may differ from the build\'s', () => {
    expect(compiledKnowledgeCacheFile()).toBeNull();
  });
});
