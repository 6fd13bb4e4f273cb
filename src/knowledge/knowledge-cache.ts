// The bundled articles parsed once, by `npm run build`, into dist/knowledge-cache.json: a compiled
// bot then starts without loading the YAML parser or parsing every article (about 90 ms of
// start-up). The cache is read only by code running from dist/ (the build that wrote it, so the
// parser is the same) and only while the folder's articles are byte for byte the ones it holds;
// otherwise the articles are parsed and checked as always.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from './article.ts';
import { articleFileNames, loadKnowledge } from './load-knowledge.ts';
import { packageRoot } from '../package-root.ts';

interface KnowledgeCache {
  fingerprint: string;
  articles: Article[];
}

/** Where the build writes the cache; null when this code is not running from dist/ (src/ by type stripping). */
export function compiledKnowledgeCacheFile(): string | null {
  const dist = join(packageRoot, 'dist');
  return fileURLToPath(import.meta.url).startsWith(dist + sep) ? join(dist, 'knowledge-cache.json') : null;
}

/** The names and contents of the folder's articles, hashed; null when the folder cannot be read. */
function knowledgeFingerprint(dir: string): string | null {
  try {
    const hash = createHash('sha256');
    for (const name of articleFileNames(dir)) {
      hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
    }
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** The articles of `dir`, from `cacheFile` while it holds exactly these files, else parsed (throws a KnowledgeError listing every problem). */
export function loadKnowledgeCached(dir: string, cacheFile: string | null): Article[] {
  if (cacheFile) {
    try {
      const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as KnowledgeCache;
      if (cache.fingerprint === knowledgeFingerprint(dir) && Array.isArray(cache.articles)) return cache.articles;
    } catch {
      // No cache, or an unreadable one: parse.
    }
  }
  return loadKnowledge(dir);
}

/** Parses `dir` (throwing on any problem, so a broken knowledge base is never cached) and writes the cache. */
export function writeKnowledgeCache(dir: string, cacheFile: string): void {
  const fingerprint = knowledgeFingerprint(dir);
  if (!fingerprint) return;
  const cache: KnowledgeCache = { fingerprint, articles: loadKnowledge(dir) };
  writeFileSync(cacheFile, JSON.stringify(cache));
}
