// Bolt 5.1 runs every listener's middleware chain on every request (30 chains here), each only to
// learn from its first step (onlyCommands, onlyActions, ...) that the request is of another kind:
// about 20 µs and 10-50 KB of garbage per slash command, for nothing. As the last global
// middleware, this asks those same first steps once per request, while Bolt picks the chains
// (synchronously, inside `next()`), and hands it only the chains whose first step lets the request
// through. A chain that starts with anything else always runs. Without the field it relies on
// (another Bolt version) it does nothing and every chain runs, as before.
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { onlyActions, onlyCommands, onlyEvents, onlyOptions, onlyShortcuts, onlyViewActions } from '../bolt.ts';

type Chain = Middleware<AnyMiddlewareArgs>[];

const kindFilters: readonly Middleware<AnyMiddlewareArgs>[] = [onlyActions, onlyCommands, onlyEvents, onlyOptions, onlyShortcuts, onlyViewActions] as Middleware<AnyMiddlewareArgs>[];

/** Installs the narrowing on `app`; register the returned middleware after every other (app.use). */
export function onlyMatchingListeners(app: App): Middleware<AnyMiddlewareArgs> {
  const holder = app as unknown as { listeners?: unknown };
  const descriptor = Object.getOwnPropertyDescriptor(holder, 'listeners');
  if (!descriptor || !Array.isArray(descriptor.value) || !descriptor.configurable) return ({ next }) => next();
  const all = descriptor.value as Chain[];
  let current: Chain[] | undefined;
  Object.defineProperty(holder, 'listeners', { configurable: true, enumerable: descriptor.enumerable ?? true, get: () => current ?? all });

  // Chains per combination of filters that let a request through; rebuilt if listeners are added.
  const byPassing = new Map<number, Chain[]>();
  let builtFor = -1;
  const chainsFor = (passing: number): Chain[] => {
    if (builtFor !== all.length) {
      byPassing.clear();
      builtFor = all.length;
    }
    let chains = byPassing.get(passing);
    if (!chains) {
      chains = all.filter((chain) => {
        const filter = kindFilters.indexOf(chain[0]!);
        return filter < 0 || (passing & (1 << filter)) !== 0;
      });
      byPassing.set(passing, chains);
    }
    return chains;
  };

  return (args) => {
    // Each filter calls next() synchronously when it lets the request through.
    let passing = 0;
    let bit = 0;
    const probe = { ...args, next: async () => void (passing |= 1 << bit) };
    for (bit = 0; bit < kindFilters.length; bit++) void kindFilters[bit]!(probe as typeof args);
    current = chainsFor(passing);
    try {
      return args.next();
    } finally {
      current = undefined;
    }
  };
}
