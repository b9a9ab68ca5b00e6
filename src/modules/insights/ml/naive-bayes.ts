import type { DesignMatrix } from './types.ts';

/** Naive Bayes: Bernoulli for 0/1 columns, Gaussian for the rest; plain JSON. */
export interface NaiveBayesModel {
  kind: 'naive-bayes';
  /** log P(y = 1) − log P(y = 0). */
  priorLogOdds: number;
  /** Per column: 'bernoulli' with P(x = 1 | class), or 'gaussian' with mean and variance per class. */
  columns: NaiveBayesColumn[];
  /** Each column's average log-likelihood ratio on the training rows, so contributions are centred. */
  meanContribution: number[];
}

/** What naive Bayes learned about one column. */
export type NaiveBayesColumn =
  | { type: 'bernoulli'; p1: number; p0: number }
  | { type: 'gaussian'; mean1: number; var1: number; mean0: number; var0: number };

function isBinaryColumn(x: DesignMatrix, j: number): boolean {
  for (let i = 0; i < x.rows; i++) {
    const v = x.values[i * x.cols + j];
    if (v !== 0 && v !== 1) return false;
  }
  return true;
}

/** Class-conditional mean and variance of column `j`. */
function moments(x: DesignMatrix, y: Uint8Array, j: number, cls: number): [number, number] {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < x.rows; i++) {
    if (y[i] !== cls) continue;
    const v = x.values[i * x.cols + j] ?? 0;
    n++;
    sum += v;
    sumSq += v * v;
  }
  const mean = n > 0 ? sum / n : 0;
  return [mean, n > 0 ? Math.max(sumSq / n - mean * mean, 0) : 0];
}

/** Fits the model; Laplace smoothing for Bernoulli columns, a variance floor for Gaussian ones. */
export function fitNaiveBayes(x: DesignMatrix, y: Uint8Array): NaiveBayesModel {
  let n1 = 0;
  for (const v of y) n1 += v;
  const n0 = y.length - n1;
  const raw = Array.from({ length: x.cols }, (_, j) => {
    const [mean1, var1] = moments(x, y, j, 1);
    const [mean0, var0] = moments(x, y, j, 0);
    return { j, mean1, var1, mean0, var0 };
  });
  // As scikit-learn: a floor of a tiny share of the largest variance keeps constant columns finite.
  const floor = 1e-9 * Math.max(1, ...raw.map((c) => Math.max(c.var0, c.var1))) + 1e-9;
  const columns: NaiveBayesColumn[] = raw.map((c) =>
    isBinaryColumn(x, c.j)
      ? { type: 'bernoulli', p1: (c.mean1 * n1 + 1) / (n1 + 2), p0: (c.mean0 * n0 + 1) / (n0 + 2) }
      : {
          type: 'gaussian',
          mean1: c.mean1,
          var1: c.var1 + floor,
          mean0: c.mean0,
          var0: c.var0 + floor,
        },
  );
  const model: NaiveBayesModel = {
    kind: 'naive-bayes',
    priorLogOdds: Math.log((n1 + 0.5) / (n0 + 0.5)),
    columns,
    meanContribution: new Array<number>(x.cols).fill(0),
  };
  const mean = new Array<number>(x.cols).fill(0);
  for (let i = 0; i < x.rows; i++) {
    const row = x.values.subarray(i * x.cols, (i + 1) * x.cols);
    columns.forEach((col, j) => (mean[j] = (mean[j] ?? 0) + logLikelihoodRatio(col, row[j] ?? 0)));
  }
  model.meanContribution = mean.map((s) => s / Math.max(x.rows, 1));
  return model;
}

function logLikelihoodRatio(col: NaiveBayesColumn, v: number): number {
  if (col.type === 'bernoulli') {
    return v >= 0.5 ? Math.log(col.p1 / col.p0) : Math.log((1 - col.p1) / (1 - col.p0));
  }
  const g = (mean: number, variance: number) =>
    -0.5 * Math.log(2 * Math.PI * variance) - (v - mean) ** 2 / (2 * variance);
  return g(col.mean1, col.var1) - g(col.mean0, col.var0);
}

/** Centred per-column contributions and the base they add to, giving the log-odds. */
export function naiveBayesContributions(
  model: NaiveBayesModel,
  row: Float64Array,
): { base: number; contributions: Float64Array } {
  const contributions = new Float64Array(model.columns.length);
  let base = model.priorLogOdds;
  model.columns.forEach((col, j) => {
    const centre = model.meanContribution[j] ?? 0;
    base += centre;
    contributions[j] = logLikelihoodRatio(col, row[j] ?? 0) - centre;
  });
  return { base, contributions };
}

/** Log-odds of every row of `x`. */
export function naiveBayesLogOdds(model: NaiveBayesModel, x: DesignMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const row = x.values.subarray(i * x.cols, (i + 1) * x.cols);
    let z = model.priorLogOdds;
    model.columns.forEach((col, j) => (z += logLikelihoodRatio(col, row[j] ?? 0)));
    out[i] = z;
  }
  return out;
}
