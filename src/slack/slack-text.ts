// Text as Slack sends it (HTML-escaped, with <@U123>, <#C1|name> and <url|label> markup) turned
// back into what the person typed, for the answer engine and for prefilling the modal.

/** Drops mentions of `botUserId`, keeps other markup readable, and decodes &amp; &lt; &gt;. */
export function plainTextFromSlack(value: string, botUserId?: string): string {
  // Most messages carry no markup and nothing escaped: every rewrite below needs a < or an &.
  if (!value.includes('<') && !value.includes('&')) return value.trim();
  return value
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => (id === botUserId ? '' : `@${label ?? id}`))
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || id}`)
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, label?: string) => label ?? '@group')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
