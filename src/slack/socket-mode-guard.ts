// Socket Mode gets the same envelope check as HTTP: a malformed payload over the socket is
// acknowledged (so Slack does not resend it), logged with the reason, and never reaches Bolt.
import type { App, Receiver, ReceiverEvent, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { checkEnvelope } from './slack-envelope.ts';

export function guardSocketMode(inner: SocketModeReceiver, logger: Logger): Receiver {
  const log = logger.child({ component: 'slack-socket' });
  return {
    init(app: App) {
      const guarded = {
        processEvent(event: ReceiverEvent): Promise<void> {
          const body: unknown = event.body;
          const check = typeof body === 'object' && body !== null && !Array.isArray(body) ? checkEnvelope(body as Record<string, unknown>) : { ok: false as const, reason: 'payload is not an object' };
          if (check.ok) return app.processEvent(event);
          log.warn({ code: 'slack_payload_malformed', reason: check.reason }, 'refused a malformed Slack payload');
          return event.ack();
        },
      };
      // The socket receiver only ever calls processEvent on the app it is given.
      inner.init(guarded as unknown as App);
    },
    start: (...args: unknown[]) => inner.start(...(args as [])),
    stop: (...args: unknown[]) => inner.stop(...(args as [])),
  };
}
