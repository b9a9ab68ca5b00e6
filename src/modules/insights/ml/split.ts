import { createRandom, shuffledIndices } from './random.ts';

/** Row indices of a train/holdout split. */
export interface Split {
  train: Uint32Array;
  holdout: Uint32Array;
}

/**
 * Holds out a `fraction` of each class at random (seeded), so a rare outcome is present on both
 * sides; each side keeps at least one row of a class that has two or more.
 */
export function stratifiedSplit(labels: Uint8Array, fraction: number, seed: number): Split {
  const random = createRandom(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const cls of [0, 1]) {
    const members = Array.from(shuffledIndices(labels.length, random)).filter(
      (i) => labels[i] === cls,
    );
    const wanted = Math.round(members.length * fraction);
    const take = members.length < 2 ? 0 : Math.min(Math.max(wanted, 1), members.length - 1);
    holdout.push(...members.slice(0, take));
    train.push(...members.slice(take));
  }
  const ascending = (a: number, b: number) => a - b;
  return {
    train: Uint32Array.from(train.sort(ascending)),
    holdout: Uint32Array.from(holdout.sort(ascending)),
  };
}

/**
 * Holds out the latest `fraction` of rows by time, as the model will be used: trained on the past,
 * judged on what came after. Rows without a time count as oldest.
 */
export function timeOrderedSplit(times: Float64Array, fraction: number): Split {
  const order = Array.from(times.keys()).sort(
    (a, b) => (times[a] ?? -Infinity) - (times[b] ?? -Infinity) || a - b,
  );
  const cut = order.length - Math.round(order.length * fraction);
  return {
    train: Uint32Array.from(order.slice(0, cut)),
    holdout: Uint32Array.from(order.slice(cut)),
  };
}
