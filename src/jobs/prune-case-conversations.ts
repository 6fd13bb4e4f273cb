// Case conversations and answered threads last a day; reads ignore expired rows, and this job
// deletes them so the tables hold only what a thread can still use.
export const jobName = 'prune-case-conversations';

export interface PruneCaseConversationsDeps {
  conversations: { prune(before: Date): Promise<number> };
  answeredThreads: { prune(before: Date): Promise<number> };
  now?: () => Date;
}

export async function exec(deps: PruneCaseConversationsDeps): Promise<{ conversations: number; answeredThreads: number }> {
  const now = deps.now?.() ?? new Date();
  return { conversations: await deps.conversations.prune(now), answeredThreads: await deps.answeredThreads.prune(now) };
}
