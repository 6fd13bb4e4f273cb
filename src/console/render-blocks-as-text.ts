// Block Kit as plain terminal text, so the local console shows exactly what Slack would show:
// same builders, same words, readable without Slack.
import type { InputBlock, KnownBlock } from '@slack/types';

const emoji: Record<string, string> = {
  large_green_circle: '●',
  large_yellow_circle: '◐',
  large_orange_circle: '○',
  large_blue_circle: '◉',
  red_circle: '✖',
  white_circle: '○',
  white_check_mark: '✔',
};

/** mrkdwn to plain text: links, dates, mentions, quotes and entities made readable. */
export function mrkdwnToText(value: string): string {
  return value
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<@([A-Z0-9a-z]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/:([a-z_]+):/g, (m, name: string) => emoji[name] ?? m)
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|$|[.,:;!?)])/g, '$1$2')
    .replace(/(^|[\s>])_([^_\n]+)_(?=\s|$|[.,:;!?)])/g, '$1$2')
    .replace(/^>/gm, '  │ ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(t: { type: string; text: string } | undefined): string {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwnToText(t.text) : t.text;
}

/** A modal input as its label and what it starts with (the Slack playground prints modals). */
function inputText(block: InputBlock): string {
  const label = `${block.label.text}${block.optional ? ' (optional)' : ''}`;
  const element = block.element;
  let value = '…';
  if (element.type === 'plain_text_input' && element.initial_value) value = element.initial_value;
  if (element.type === 'datetimepicker' && element.initial_date_time) value = `${new Date(element.initial_date_time * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (element.type === 'static_select' && element.options) value = element.options.map((o) => `${o.text.text} (${o.value ?? ''})`).join(' | ');
  return `${label}: ${value}`;
}

export function renderBlocksAsText(blocks: readonly KnownBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push('', textOf(block.text).toUpperCase());
        break;
      case 'section':
        if (block.text) lines.push(textOf(block.text));
        if (block.fields) for (const field of block.fields) lines.push(textOf(field).replace('\n', ': '));
        if (block.accessory?.type === 'button') lines.push(`[${block.accessory.text.text}]`);
        break;
      case 'context':
        lines.push(
          block.elements
            .map((e) => ('text' in e && typeof e.text === 'string' ? (e.type === 'mrkdwn' ? mrkdwnToText(e.text) : e.text) : ''))
            .filter(Boolean)
            .map((t) => `  ${t}`)
            .join(' '),
        );
        break;
      case 'actions':
        lines.push(block.elements.map((e) => ('text' in e && e.text ? `[${e.text.text}]` : '')).filter(Boolean).join(' '));
        break;
      case 'input':
        lines.push(inputText(block));
        break;
      case 'divider':
        lines.push('────────────────────────────────');
        break;
      default:
        break;
    }
  }
  return lines.join('\n').replace(/^\n+/, '');
}
