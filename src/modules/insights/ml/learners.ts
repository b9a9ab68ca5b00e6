import {
  fitLogistic,
  logisticContributions,
  logisticLogOdds,
  type LogisticModel,
} from './logistic.ts';
import {
  fitNaiveBayes,
  naiveBayesContributions,
  naiveBayesLogOdds,
  type NaiveBayesModel,
} from './naive-bayes.ts';
import {
  fitTrees,
  treesContributions,
  treesImportance,
  treesLogOdds,
  type TreesModel,
  type TreesOptions,
} from './trees.ts';
import type { DesignMatrix, ModelKind } from './types.ts';

/** Any of the fitted model families. */
export type Learner = LogisticModel | TreesModel | NaiveBayesModel;

/** Per-family options. */
export interface LearnerOptions {
  /** L2 penalty of logistic regression. */
  l2?: number;
  trees?: TreesOptions;
}

/** Fits one family on a design matrix and 0/1 labels. */
export function fitLearner(
  kind: ModelKind,
  x: DesignMatrix,
  y: Uint8Array,
  options: LearnerOptions = {},
): Learner {
  if (kind === 'logistic')
    return fitLogistic(x, y, options.l2 === undefined ? {} : { l2: options.l2 });
  if (kind === 'trees') return fitTrees(x, y, options.trees);
  return fitNaiveBayes(x, y);
}

/** Raw (uncalibrated) log-odds of every row. */
export function learnerLogOdds(model: Learner, x: DesignMatrix): Float64Array {
  if (model.kind === 'logistic') return logisticLogOdds(model, x);
  if (model.kind === 'trees') return treesLogOdds(model, x);
  return naiveBayesLogOdds(model, x);
}

/** Per-column contributions of one row and the base they add to; together the raw log-odds. */
export function learnerContributions(
  model: Learner,
  row: Float64Array,
): { base: number; contributions: Float64Array } {
  if (model.kind === 'logistic') {
    return { base: model.intercept, contributions: logisticContributions(model, row) };
  }
  if (model.kind === 'trees') return treesContributions(model, row);
  return naiveBayesContributions(model, row);
}

/**
 * Global importance per column: |weight| for logistic regression (columns are standardized),
 * split gain for trees, and the spread of the log-likelihood ratio for naive Bayes.
 */
export function learnerImportance(model: Learner, cols: number): Float64Array {
  if (model.kind === 'logistic') return Float64Array.from(model.weights, Math.abs);
  if (model.kind === 'trees') return treesImportance(model, cols);
  return Float64Array.from(model.columns, (col) =>
    col.type === 'bernoulli'
      ? Math.abs(Math.log(col.p1 / col.p0) - Math.log((1 - col.p1) / (1 - col.p0)))
      : Math.abs(col.mean1 - col.mean0) / Math.sqrt((col.var0 + col.var1) / 2),
  );
}
