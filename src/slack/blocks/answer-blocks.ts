// An answer as Block Kit: the article's fix (title, what it means, numbered steps, FAQ and
// links), what matched, buttons for the article's actions (and for the closest others under an
// unsure answer), and Helpful / Not helpful.
import type { Button } from '@slack/types';
import { closestToOffer, type Alternative, type Answer } from '../../knowledge/answer.ts';
import type { Article } from '../../knowledge/article.ts';
import { actionNeeds, type Capabilities } from '../../support/capabilities.ts';
import type { WrittenAnswer } from '../../support/support-model.ts';
import { encodeAnswerRef } from '../action-values.ts';
import { actionIds, closestArticleActionIds } from '../ids.ts';
import { actionLabels, text } from '../user-text.ts';
import { actions, button, clip, context, escapeMrkdwn, markdownToMrkdwn, section, sectionsFromLines, type Blocks } from './block-kit.ts';

export interface AnswerMessage {
  /** Notification and screen-reader text. */
  text: string;
  blocks: Blocks;
}

export type { Capabilities } from '../../support/capabilities.ts';

const everything: Capabilities = { xero: true, escalation: true };

export interface AnswerBlockOptions {
  /** Defaults to everything: builders tested on their own show every button. */
  capabilities?: Capabilities;
  /** Ephemeral answers (slash command) get a "Share in channel" button. */
  shareable?: boolean;
  /** Set when someone shared the answer into the channel. */
  sharedBy?: string;
  /** Blocks the answer leads with: the live verdict of the workspace's connections. */
  lead?: Blocks;
  /** The model's reply for the asker (it passed the grounding guard): shown instead of the article's meaning and steps. */
  written?: WrittenAnswer | null;
  /** The article is the model's pick among the engine's closest ones. */
  chosenByModel?: boolean;
}

const actionButtonIds = {
  reconnect: actionIds.reconnect,
  retry: actionIds.retryFailed,
  check_health: actionIds.checkConnection,
  escalate: actionIds.escalate,
  archive: actionIds.showFailedSyncs,
} as const;

export const answerBlockIds = {
  actions: 'answer_actions',
  feedback: 'answer_feedback',
  alternatives: 'answer_alternatives',
} as const;

const maxFaqEntries = 3;
const maxFaqAnswerChars = 300;

export function buildAnswerBlocks(answer: Answer, options: AnswerBlockOptions = {}): AnswerMessage {
  if (answer.reason === 'empty_question') return { text: text.emptyQuestion, blocks: [section(text.emptyQuestion)] };
  // One encoded reference serves every button of the answer.
  const ref = encodeAnswerRef(answer.article?.id ?? null, answer.question);
  const can = options.capabilities ?? everything;
  if (answer.reason === 'out_of_scope') {
    // No candidates: any article would be a guess about another product or a how-to question.
    const blocks: Blocks = [section(text.outOfScope)];
    if (can.escalation) blocks.push(section(text.outOfScopeEscalate), escalateBlock(ref));
    blocks.push(feedbackBlock(ref, options));
    return { text: text.outOfScope, blocks };
  }
  const blocks: Blocks = [...(options.lead ?? []), ...(answer.article ? articleBlocks(answer, answer.article, ref, can, options) : lowConfidenceBlocks(answer, ref, can))];
  blocks.push(feedbackBlock(ref, options));
  if (options.sharedBy) blocks.push(context(text.sharedBy(options.sharedBy)));
  const fallback = answer.article ? answer.article.title : text.lowConfidence;
  return { text: fallback, blocks };
}

// An article's own blocks never change while the process runs; answers share them.
const articleContent = new WeakMap<Article, ArticleContent>();

interface ArticleContent {
  title: Blocks;
  /** What it means and how to fix it, then the FAQ and links (`extras`, kept under a written reply too). */
  body: Blocks;
  extras: Blocks;
}

function contentOf(article: Article): ArticleContent {
  let content = articleContent.get(article);
  if (content) return content;
  const fix: Blocks = [section(`*${text.whatItMeans}*\n${markdownToMrkdwn(article.sections.meaning)}`)];
  fix.push(...sectionsFromLines([`*${text.howToFix}*`, ...article.steps.map((step, i) => `${i + 1}. ${markdownToMrkdwn(step)}`)]));
  const extras: Blocks = [];
  if (article.faq.length) {
    const faq = article.faq
      .slice(0, maxFaqEntries)
      .map((entry) => `• *${markdownToMrkdwn(entry.question)}* ${markdownToMrkdwn(clip(entry.answer.replace(/\s+/g, ' '), maxFaqAnswerChars))}`);
    extras.push(...sectionsFromLines([`*${text.faq}*`, ...faq]));
  }
  if (article.links.length) {
    extras.push(context(`${text.moreReading}: ${article.links.map((l) => `<${l.url}|${escapeMrkdwn(l.title)}>`).join(' · ')}`));
  }
  content = { title: [section(`*${escapeMrkdwn(article.title)}*`)], body: [...fix, ...extras], extras };
  articleContent.set(article, content);
  return content;
}

function articleBlocks(answer: Answer, article: Article, ref: string, can: Capabilities, options: AnswerBlockOptions): Blocks {
  const content = contentOf(article);
  const blocks: Blocks = [...content.title];
  // matchedBy 'none' with an article: the person picked it from the closest articles.
  if (options.chosenByModel) blocks.push(context(text.chosenFromClosest));
  else if (answer.matchedBy === 'code' && answer.matchedCode) blocks.push(context(text.matchedCode(escapeMrkdwn(answer.matchedCode))));
  else if (answer.matchedBy === 'search') blocks.push(context(text.matchedSearch(answer.confidence)));
  blocks.push(...(options.written ? [...writtenBlocks(options.written), ...content.extras] : content.body));
  const possible = answer.actions.filter((action) => {
    const need = actionNeeds[action];
    return !need || can[need];
  });
  const buttons = possible.map((action) =>
    button({
      actionId: actionButtonIds[action],
      label: actionLabels[action],
      value: ref,
      ...(action === 'reconnect' ? { style: 'primary' as const } : {}),
    }),
  );
  if (buttons.length) blocks.push(actions(answerBlockIds.actions, buttons));
  // A model's pick or a written reply already chose among the candidates.
  const others = options.chosenByModel || options.written ? [] : closestToOffer(answer);
  if (others.length) blocks.push(context(text.closestOthers), closestButtons(answer, others));
  return blocks;
}

/** The model's summary and steps, in place of the article's meaning and steps. */
function writtenBlocks(written: WrittenAnswer): Blocks {
  const blocks: Blocks = [context(text.writtenFrom(written.citations))];
  if (written.summary.trim()) blocks.push(section(escapeMrkdwn(written.summary.trim())));
  blocks.push(...sectionsFromLines([`*${text.howToFix}*`, ...written.steps.map((step, i) => `${i + 1}. ${escapeMrkdwn(step.text)}`)]));
  return blocks;
}

function lowConfidenceBlocks(answer: Answer, ref: string, can: Capabilities): Blocks {
  const lines: string[] = [text.lowConfidence];
  if (answer.unknownCode) lines.push(text.unknownCode(escapeMrkdwn(answer.unknownCode)));
  const blocks: Blocks = [section(lines.join(' '))];
  const closest = closestToOffer(answer);
  if (closest.length) {
    blocks.push(section(`${text.closestArticles}\n${closest.map((a) => `• ${escapeMrkdwn(a.title)}`).join('\n')}`));
    blocks.push(closestButtons(answer, closest));
  }
  if (can.escalation) blocks.push(section(text.escalateOffer), escalateBlock(ref));
  return blocks;
}

/** One button per candidate, each with its own action_id: Slack refuses the whole message otherwise. */
function closestButtons(answer: Answer, closest: readonly Alternative[]) {
  return actions(
    answerBlockIds.alternatives,
    closest.map((a, i) => button({ actionId: closestArticleActionIds[i]!, label: a.title, value: encodeAnswerRef(a.id, answer.question) })),
  );
}

function escalateBlock(ref: string) {
  return actions(answerBlockIds.actions, [button({ actionId: actionIds.escalate, label: actionLabels.escalate, value: ref })]);
}

function feedbackBlock(ref: string, options: AnswerBlockOptions) {
  const buttons: Button[] = [
    button({ actionId: actionIds.feedbackHelpful, label: text.helpful, value: ref }),
    button({ actionId: actionIds.feedbackNotHelpful, label: text.notHelpful, value: ref }),
  ];
  if (options.shareable) buttons.push(button({ actionId: actionIds.shareAnswer, label: text.shareInChannel, value: ref, style: 'primary' }));
  return actions(answerBlockIds.feedback, buttons);
}
