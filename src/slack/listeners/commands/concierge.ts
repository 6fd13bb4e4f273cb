// `/concierge ...`: answers that need only the knowledge base go back inside the acknowledgement;
// anything that reads the database is answered through response_url. Commands that change
// something (retry, reconnect) are stored before the acknowledgement, the others acknowledged first.
// With OPENAI_API_KEY set, a question is acknowledged with the engine's answer and the model's
// answer replaces it through response_url when it is ready (or when the deadline gives up on it).
import type { App, RespondFn } from '@slack/bolt';
import { buildDiagnosisBlocks } from '../../blocks/health-blocks.ts';
import { buildUsageReply, notice, type SlackReply } from '../../blocks/support-blocks.ts';
import type { Answer } from '../../../knowledge/answer.ts';
import { answerReply, parseConciergeCommand, repliesImmediately, runConciergeCommand, storesSomething } from '../../concierge-command.ts';
import { commandName } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { openEscalationModal } from '../../open-escalation-modal.ts';
import { respondEphemeral } from '../../reply.ts';
import { diagnosedAnswer } from '../../diagnosed-answer.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { healthText, text } from '../../user-text.ts';

export function registerConciergeCommand(app: App, deps: ListenerDeps): void {
  app.command(commandName, async ({ command, ack, respond, client }) => {
    const parsed = parseConciergeCommand(plainTextFromSlack(command.text ?? ''));
    const actor = { teamId: command.team_id, userId: command.user_id };
    if (parsed.kind === 'escalate') {
      await ack();
      const opened = await openEscalationModal(deps, {
        client,
        triggerId: command.trigger_id,
        teamId: actor.teamId,
        origin: { channelId: command.channel_id, threadTs: null, articleId: null },
        reporterId: actor.userId,
        prefillError: parsed.prefill,
        extractFrom: { text: parsed.prefill, userId: actor.userId, sentAt: deps.now() },
      });
      if (!opened) await respondEphemeral(respond, notice(text.slackTrouble), deps.logger);
      return;
    }
    if (parsed.kind === 'ask') {
      // Ranked once: the reply and the live verdict that may follow it share the answer.
      const answer = deps.support.answer(parsed.question);
      const reply = answerReply(answer, deps.capabilities);
      await ack({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
      // The acknowledgement cannot wait for Xero or the model (3 s): what they add follows it.
      if (deps.support.usesModel) await replaceWithModelAnswer(deps, actor.teamId, parsed.question, reply, respond);
      else await followWithDiagnosis(deps, actor.teamId, answer, respond);
      return;
    }
    if (repliesImmediately(parsed)) {
      const reply = await runConciergeCommand(parsed, actor, deps.support, deps.capabilities);
      await ack({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
      return;
    }
    const storing = storesSomething(parsed);
    if (!storing) await ack();
    let reply;
    try {
      reply = await runConciergeCommand(parsed, actor, deps.support, deps.capabilities, { channelId: command.channel_id, threadTs: null }, deps.now());
    } catch (error) {
      deps.logger.error({ err: error, subcommand: parsed.kind }, 'concierge command failed');
      reply = notice(storing ? text.notRecorded : text.internalError);
    }
    if (storing) await ack();
    await respondEphemeral(respond, reply, deps.logger);
  });

  // Only /concierge is declared in manifest.yml; anything else came from a stale configuration.
  app.command(/^(?!\/concierge$).*/, async ({ ack }) => {
    const reply = buildUsageReply();
    await ack({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
  });
}

/** The model's answer (with the live verdict leading it) in place of the engine's; nothing when they are the same. */
async function replaceWithModelAnswer(deps: ListenerDeps, teamId: string, question: string, shown: SlackReply, respond: RespondFn): Promise<void> {
  try {
    const reply = await diagnosedAnswer(deps, teamId, question, undefined, { shareable: true });
    if (JSON.stringify(reply) === JSON.stringify(shown)) return;
    await respondEphemeral(respond, reply, deps.logger, true);
  } catch (error) {
    deps.logger.warn({ err: error, code: 'model_answer_failed' }, 'could not follow a slash-command answer with the model\'s; the engine\'s answer stands');
  }
}

async function followWithDiagnosis(deps: ListenerDeps, teamId: string, answer: Answer, respond: RespondFn): Promise<void> {
  try {
    const reports = await deps.support.diagnose(teamId, answer);
    if (!reports.length) return;
    const blocks = buildDiagnosisBlocks(reports, answer.article?.id ?? null, { now: deps.now(), getArticle: (id) => deps.support.getArticle(id) });
    await respondEphemeral(respond, { text: healthText.liveTitle, blocks }, deps.logger);
  } catch (error) {
    deps.logger.warn({ err: error, code: 'diagnosis_failed' }, 'could not follow an answer with the live connection verdict');
  }
}
