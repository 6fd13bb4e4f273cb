// An answer as console text, read from the Answer itself (not from Slack blocks): the article's
// fix, what matched, the buttons that can work here, and Helpful / Not helpful. Same words as Slack.
import { closestToOffer, type Alternative, type Answer } from '../knowledge/answer.ts';
import type { ArticleAction } from '../knowledge/article.ts';
import { actionLabels, text } from '../copy/user-text.ts';
import { actionNeeds, type Capabilities } from '../support/capabilities.ts';
import { buttonRow, type AnswerRef, type ConsolePress, type ConsoleReply, type PrintedButton } from './console-buttons.ts';
import { mrkdwnToText } from './render-blocks-as-text.ts';

const maxFaqEntries = 3;

/** What pressing an article action does here. */
function actionPress(action: ArticleAction, ref: AnswerRef): ConsolePress {
  switch (action) {
    case 'escalate':
      return { kind: 'escalate', ref };
    case 'retry':
      return { kind: 'command', command: { kind: 'retry', target: { kind: 'all' } } };
    case 'archive':
      return { kind: 'command', command: { kind: 'errors' } };
    case 'check_health':
      return { kind: 'command', command: { kind: 'status' } };
    case 'reconnect':
      return { kind: 'command', command: { kind: 'reconnect' } };
  }
}

function feedbackButtons(ref: AnswerRef): PrintedButton[] {
  return [
    { label: text.helpful, press: { kind: 'feedback', helpful: true, ref } },
    { label: text.notHelpful, press: { kind: 'feedback', helpful: false, ref } },
  ];
}

/** Markdown emphasis and links made plain for a terminal. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');
}

/** A button that shows one of the closest articles for the same question. */
function articleButton(article: Alternative, answer: Answer): PrintedButton {
  return { label: article.title, press: { kind: 'article', ref: { a: article.id, q: answer.question } } };
}

export function answerText(answer: Answer, capabilities: Capabilities): ConsoleReply {
  if (answer.reason === 'empty_question') return { text: mrkdwnToText(text.emptyQuestion), buttons: [] };
  const ref: AnswerRef = { a: answer.article?.id ?? null, q: answer.question };
  const lines: string[] = [];
  const buttons: PrintedButton[] = [];
  const escalate: PrintedButton = { label: actionLabels.escalate, press: { kind: 'escalate', ref } };
  if (answer.reason === 'out_of_scope') {
    lines.push(text.outOfScope);
    if (capabilities.escalation) lines.push(text.outOfScopeEscalate, buttonRow([escalate]));
    if (capabilities.escalation) buttons.push(escalate);
  } else if (answer.article) {
    const article = answer.article;
    lines.push(article.title);
    if (answer.matchedBy === 'code' && answer.matchedCode) lines.push(`  ${mrkdwnToText(text.matchedCode(answer.matchedCode)).replace(/`/g, '')}`);
    else if (answer.matchedBy === 'search') lines.push(`  ${text.matchedSearch(answer.confidence)}`);
    lines.push(text.whatItMeans, plain(article.sections.meaning), text.howToFix, ...article.steps.map((step, i) => `${i + 1}. ${plain(step)}`));
    if (article.faq.length) lines.push(text.faq, ...article.faq.slice(0, maxFaqEntries).map((entry) => `• ${plain(entry.question)} ${plain(entry.answer.replace(/\s+/g, ' '))}`));
    if (article.links.length) lines.push(`  ${text.moreReading}: ${article.links.map((l) => `${l.title} (${l.url})`).join(' · ')}`);
    const actions = answer.actions.filter((action) => {
      const need = actionNeeds[action];
      return !need || capabilities[need];
    });
    const actionButtons = actions.map((action) => ({ label: actionLabels[action], press: actionPress(action, ref) }));
    if (actionButtons.length) lines.push(buttonRow(actionButtons));
    buttons.push(...actionButtons);
    const others = closestToOffer(answer);
    if (others.length) {
      const otherButtons = others.map((a) => articleButton(a, answer));
      lines.push(text.closestOthers, buttonRow(otherButtons));
      buttons.push(...otherButtons);
    }
  } else {
    lines.push([text.lowConfidence, answer.unknownCode ? text.unknownCode(answer.unknownCode).replace(/`/g, '') : ''].filter(Boolean).join(' '));
    const closest = closestToOffer(answer);
    if (closest.length) {
      lines.push(text.closestArticles, ...closest.map((a) => `• ${a.title}`));
      const closestButtons = closest.map((a) => articleButton(a, answer));
      lines.push(buttonRow(closestButtons));
      buttons.push(...closestButtons);
    }
    if (capabilities.escalation) {
      lines.push(text.escalateOffer, buttonRow([escalate]));
      buttons.push(escalate);
    }
  }
  const feedback = feedbackButtons(ref);
  lines.push(buttonRow(feedback));
  buttons.push(...feedback);
  return { text: lines.join('\n'), buttons };
}
