// Counts listener work still running after the acknowledgement, so shutdown can wait for it.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

export interface WorkTracker {
  readonly pending: number;
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when nothing is pending, or after `timeoutMs`; true when everything finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createWorkTracker(): WorkTracker {
  const inFlight = new Set<Promise<unknown>>();
  return {
    get pending() {
      return inFlight.size;
    },
    track(work) {
      inFlight.add(work);
      const forget = () => inFlight.delete(work);
      work.then(forget, forget);
      return work;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = (async () => {
        while (inFlight.size) await Promise.allSettled([...inFlight]);
        return true as const;
      })();
      const done = await Promise.race([finished, timeout]);
      clearTimeout(timer);
      return done;
    },
  };
}

export function trackWork(tracker: WorkTracker): Middleware<AnyMiddlewareArgs> {
  return ({ next }) => tracker.track(next());
}
