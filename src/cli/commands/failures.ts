// `concierge failures import FILE.jsonl`: the same intake as POST /api/sync-failures, from a file
// of one failure per line. Lines are stored in batches as they are read, so a big file never sits
// in memory; every rejected line is reported with its number and reason.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../config.ts';
import { alertOnNewFailures } from '../../support/health-alerts.ts';
import { openDatabase } from '../../db/index.ts';
import { createAnswerEngine } from '../../knowledge/answer-engine.ts';
import { loadKnowledge } from '../../knowledge/load-knowledge.ts';
import { MAX_FAILURES_PER_BATCH, recordSyncFailures, type RecordSyncFailuresDeps } from '../../support/record-sync-failures.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

interface Tally {
  lines: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

/** A bar redrawn in place on a terminal; a plain line per batch anywhere else (logs, CI). */
function progressReporter(io: CliIo, file: string) {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let drawn = false;
  return {
    update(tally: Tally, doneBytes: number, totalBytes: number) {
      if (!tty) return void io.stderr.write(`${tally.lines} lines read from ${file}: ${tally.stored} stored, ${tally.rejected} rejected\n`);
      const share = totalBytes ? Math.min(1, doneBytes / totalBytes) : 1;
      const width = 30;
      const filled = Math.round(share * width);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}%  ${tally.lines} lines, ${tally.rejected} rejected`);
      drawn = true;
    },
    /** Ends the bar's line so that messages after it start cleanly. */
    clear() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}

export async function importFailures(deps: RecordSyncFailuresDeps, file: string, io: CliIo): Promise<Tally> {
  const input = createReadStream(file);
  const totalBytes = statSync(file).size;
  const progress = progressReporter(io, file);
  const tally: Tally = { lines: 0, stored: 0, duplicates: 0, rejected: 0 };
  // JSON errors are found on reading, the rest when their batch is stored: printed in line order at the end.
  const problems: { line: number; reason: string }[] = [];
  let batch: { line: number; record: unknown }[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const results = await recordSyncFailures(deps, batch.map((b) => b.record));
    for (const result of results) {
      const line = batch[result.index]!.line;
      if (result.status === 'rejected') {
        tally.rejected++;
        problems.push({ line, reason: result.reason });
      } else if (result.duplicate) tally.duplicates++;
      else tally.stored++;
    }
    batch = [];
    progress.update(tally, input.bytesRead, totalBytes);
  };

  let lineNumber = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!text.trim()) continue;
    tally.lines++;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      tally.rejected++;
      problems.push({ line: lineNumber, reason: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    batch.push({ line: lineNumber, record });
    if (batch.length === MAX_FAILURES_PER_BATCH) await flush();
  }
  await flush();
  progress.clear();
  for (const { line, reason } of problems.sort((a, b) => a.line - b.line)) io.stderr.write(`line ${line}: ${reason}\n`);
  return tally;
}

export async function runFailures(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new UsageError(sub ? `unknown failures subcommand "${sub}" (expected import)` : 'failures needs a subcommand: import FILE.jsonl');
  const { positionals } = parseFlags(rest, {});
  if (positionals.length !== 1) throw new UsageError('failures import takes one file of JSON lines, e.g. `concierge failures import failed.jsonl`');
  const file = positionals[0]!;
  if (!existsSync(file)) {
    io.stderr.write(`concierge: no such file: ${file}\n`);
    return 1;
  }
  const config = loadConfig();
  const engine = createAnswerEngine(loadKnowledge(config.knowledgeDir), { minConfidence: config.minConfidence });
  const db = await openDatabase(config, { warn: (m) => io.stderr.write(`warning: ${m}\n`) });
  try {
    // With ALERTS_CHANNEL_ID set, the imported failures are announced there by the running bot (its next alert post).
    const onStored = config.alertsChannelId ? alertOnNewFailures({ alerts: db.healthAlerts, connections: db.connections, now: () => new Date() }) : undefined;
    const tally = await importFailures({ engine, failedSyncs: db.failedSyncs, connections: db.connections, ...(onStored ? { onStored } : {}) }, file, io);
    io.stdout.write(
      `${tally.lines} failure line(s) in ${file}: ${tally.stored} stored, ${tally.duplicates} already stored, ${tally.rejected} rejected.\n`,
    );
    return tally.rejected ? 1 : 0;
  } finally {
    await db.close();
  }
}
