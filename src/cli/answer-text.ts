// Renders an Answer as plain text for terminals (the CLI and the local console).
import type { Answer } from '../knowledge/answer.ts';

const actionLabels: Record<string, string> = {
  reconnect: 'Reconnect Xero',
  retry: 'Retry failed exports',
  check_health: 'Check the connection',
  escalate: 'Escalate to support',
  archive: 'Archive the failed sync',
};

export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function renderAnswerText(answer: Answer): string {
  const lines: string[] = [];
  const a = answer.article;
  if (!a) {
    if (answer.reason === 'empty_question') return 'Ask a question or paste the error message you see.\n';
    if (answer.reason === 'out_of_scope') {
      return "That doesn't look like a Xero integration problem: it names another accounting system, or asks how to use Xero without an error. Escalate to support if it is about your Xero exports.\n";
    }
    if (answer.unknownCode) {
      lines.push(`I don't know the code "${answer.unknownCode}": it is not in the knowledge base.`);
    } else {
      lines.push(`I'm not confident any article answers that (best match ${formatConfidence(answer.confidence)}).`);
    }
    const closest = answer.alternatives.slice(0, 2);
    if (closest.length) {
      lines.push('Closest articles:');
      for (const alt of closest) lines.push(`  - ${alt.id}: ${alt.title}`);
    }
    lines.push('Escalate to support with the full error message, the report name or ID, and when it happened.');
    return `${lines.join('\n')}\n`;
  }
  const how =
    answer.matchedBy === 'code' || answer.matchedBy === 'pattern'
      ? `matched "${answer.matchedCode}"`
      : `confidence ${formatConfidence(answer.confidence)}`;
  lines.push(`${a.title}  [${a.id}, ${how}]`, '');
  lines.push(a.sections.meaning.replace(/\s*\n\s*/g, ' '), '');
  lines.push('How to fix it:');
  a.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  if (answer.actions.length) {
    lines.push('', `Next: ${answer.actions.map((x) => actionLabels[x] ?? x).join(' | ')}`);
  }
  if (answer.alternatives.length) {
    lines.push(`See also: ${answer.alternatives.map((alt) => alt.id).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
