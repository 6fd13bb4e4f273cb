// The plain pages a browser sees after Xero's consent: what happened and what to do next.
import type { CallbackError } from '../support/xero-connect.ts';

const askAgain = 'Ask for a new link in Slack with <code>/concierge connect</code> (or <code>/concierge reconnect</code>) and open it within 10 minutes.';

export const callbackProblems: Record<CallbackError, { status: number; title: string; body: string }> = {
  xero_not_configured: { status: 503, title: 'Xero is not set up here', body: 'This app has no Xero credentials. Ask whoever runs it to set XERO_CLIENT_ID and XERO_CLIENT_SECRET.' },
  state_missing: { status: 400, title: 'This is not a link from Xero Concierge', body: `The address has no state. ${askAgain}` },
  state_unknown: { status: 400, title: 'This link is not one we issued', body: `It may have been changed or copied incompletely. ${askAgain}` },
  state_expired: { status: 400, title: 'This link has expired', body: `Links work for 10 minutes. ${askAgain}` },
  state_used: { status: 400, title: 'This link has already been used', body: `Each link works once. If the connection did not appear, ${askAgain.charAt(0).toLowerCase()}${askAgain.slice(1)}` },
  consent_declined: { status: 200, title: 'Nothing was connected', body: 'You declined access in Xero, so nothing changed. To connect after all, open the same link again while it is valid, or ask for a new one in Slack.' },
  xero_error: { status: 502, title: 'Xero did not complete the consent', body: `Nothing changed. ${askAgain}` },
  code_missing: { status: 400, title: 'Xero sent no authorisation code', body: `Nothing changed. ${askAgain}` },
  code_rejected: { status: 400, title: 'Xero refused the authorisation', body: `The code from Xero was already used or expired. Nothing changed. ${askAgain}` },
  xero_unavailable: { status: 502, title: 'Xero did not answer', body: `Xero could not be reached to finish connecting; nothing changed. Wait a minute, then ${askAgain.charAt(0).toLowerCase()}${askAgain.slice(1)}` },
  no_organisations: { status: 200, title: 'No organisation was picked', body: `Xero granted access to no organisation, so nothing was connected. ${askAgain}` },
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `body` may hold our own markup; `title` is plain text. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${body}</p></body></html>`;
}

export function connectedPage(names: readonly string[]): string {
  return page('Connected to Xero', `${names.map(escapeHtml).join(', ')} ${names.length === 1 ? 'is' : 'are'} connected. You can close this tab; Slack has the details.`);
}
