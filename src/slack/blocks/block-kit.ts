// Small Block Kit constructors that keep Slack's size limits, so a long article or a pasted log
// can never make Slack reject a whole message (invalid_blocks).
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';

export const limits = {
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  actionsElements: 25,
  messageBlocks: 50,
  viewBlocks: 100,
  privateMetadata: 3000,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Escapes user-supplied text for mrkdwn so it cannot mention @channel or forge links. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Article Markdown (trusted, from knowledge/) to Slack mrkdwn: bold and links. */
export function markdownToMrkdwn(markdown: string): string {
  return escapeMrkdwn(markdown)
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

/** Quotes user text as a mrkdwn block quote, escaped and clipped. */
export function quote(value: string, max: number): string {
  return clip(escapeMrkdwn(value), max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

export function section(mrkdwn: string, accessory?: Button): SectionBlock {
  const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn, limits.sectionText) } };
  if (accessory) block.accessory = accessory;
  return block;
}

export function header(plain: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(plain, limits.headerText), emoji: true } };
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn.slice(0, limits.contextElements).map((t) => ({ type: 'mrkdwn', text: clip(t, limits.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export interface ButtonSpec {
  actionId: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
}

export function button(spec: ButtonSpec): Button {
  const b: Button = { type: 'button', action_id: spec.actionId, text: { type: 'plain_text', text: clip(spec.label, limits.buttonText), emoji: true } };
  if (spec.value !== undefined) b.value = spec.value.slice(0, limits.buttonValue);
  if (spec.style) b.style = spec.style;
  return b;
}

/** An actions block. Slack wants action ids unique within a block, not across the message. */
export function actions(blockId: string | undefined, buttons: Button[]): ActionsBlock {
  const block: ActionsBlock = { type: 'actions', elements: buttons.slice(0, limits.actionsElements) };
  if (blockId) block.block_id = blockId;
  return block;
}

/** Splits lines into sections that each stay under the section text limit. */
export function sectionsFromLines(lines: string[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    const piece = clip(line, limits.sectionText);
    if (current && current.length + 1 + piece.length > limits.sectionText) {
      blocks.push(section(current));
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) blocks.push(section(current));
  return blocks;
}

export type Blocks = KnownBlock[];

/** A date Slack shows in each reader's own time zone; the fallback is UTC. */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** The first part of a record id, enough for people to tell cases apart. */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(0, 8).toUpperCase();
}
