// `concierge kb lint|list [DIR]`: check or list the knowledge articles.
import { loadConfig } from '../../config.ts';
import { formatProblem, readKnowledgeDir } from '../../knowledge/load-knowledge.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

export async function runKb(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, { json: { type: 'boolean', default: false } });
  if (positionals.length > 1) throw new UsageError(`kb ${sub ?? ''} takes at most one folder, got ${positionals.length}`);
  const dir = positionals[0] ?? loadConfig().knowledgeDir;

  if (sub === 'lint') {
    if (values.json) throw new UsageError('kb lint does not take --json');
    const { articles, problems } = readKnowledgeDir(dir);
    for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
    if (problems.length) {
      io.stderr.write(`${problems.length} problem(s) in ${dir}\n`);
      return 1;
    }
    io.stdout.write(`${articles.length} articles OK in ${dir}\n`);
    return 0;
  }
  if (sub === 'list') {
    const { articles, problems } = readKnowledgeDir(dir);
    if (values.json) {
      for (const a of articles) io.stdout.write(`${JSON.stringify({ id: a.id, title: a.title, category: a.category, codes: a.codes })}\n`);
    } else {
      const width = Math.max(0, ...articles.map((a) => a.id.length));
      for (const a of articles) io.stdout.write(`${a.id.padEnd(width)}  ${a.category.padEnd(10)}  ${a.title}\n`);
    }
    if (problems.length) io.stderr.write(`${problems.length} article problem(s); run "concierge kb lint" for details\n`);
    return problems.length ? 1 : 0;
  }
  throw new UsageError(sub ? `unknown kb subcommand "${sub}" (expected lint or list)` : 'kb needs a subcommand: lint or list');
}
