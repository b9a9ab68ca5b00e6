import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { logisticLoss, sigmoid } from './math.ts';
import type { DesignMatrix } from './types.ts';

/** An L2-regularized logistic regression on standardized columns; plain JSON. */
export interface LogisticModel {
  kind: 'logistic';
  /** Column means and scales used to standardize; a constant column has scale 1 and weight 0. */
  means: number[];
  scales: number[];
  /** One weight per standardized column. */
  weights: number[];
  /** The log-odds of a record at the column means. */
  intercept: number;
}

/** Options of `fitLogistic`. */
export interface LogisticOptions {
  /** Penalty on the squared weights (sum form, like scikit-learn's 1/C); the intercept is free. */
  l2?: number;
  maxIterations?: number;
}

function standardize(x: DesignMatrix): { z: Float64Array; means: number[]; scales: number[] } {
  const { rows, cols, values } = x;
  const means = new Array<number>(cols).fill(0);
  const scales = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) means[j] = (means[j] ?? 0) + (values[i * cols + j] ?? 0);
  }
  for (let j = 0; j < cols; j++) means[j] = (means[j] ?? 0) / Math.max(rows, 1);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = (values[i * cols + j] ?? 0) - (means[j] ?? 0);
      scales[j] = (scales[j] ?? 0) + d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt((scales[j] ?? 0) / Math.max(rows, 1));
    scales[j] = sd > 1e-12 ? sd : 1;
  }
  const z = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      z[i * cols + j] = ((values[i * cols + j] ?? 0) - (means[j] ?? 0)) / (scales[j] ?? 1);
    }
  }
  return { z, means, scales };
}

/** Penalized negative log-likelihood; `eta` receives the linear predictor. */
function objective(
  z: Float64Array,
  y: Uint8Array,
  beta: Float64Array,
  l2: number,
  eta: Float64Array,
): number {
  const cols = beta.length - 1;
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    let e = beta[cols] ?? 0;
    for (let j = 0; j < cols; j++) e += (z[i * cols + j] ?? 0) * (beta[j] ?? 0);
    eta[i] = e;
    loss += logisticLoss(e, y[i] ?? 0);
  }
  let penalty = 0;
  for (let j = 0; j < cols; j++) penalty += (beta[j] ?? 0) ** 2;
  return loss + 0.5 * l2 * penalty;
}

/** Gradient and Hessian of the objective at the predictor `eta`; the intercept is the last column. */
function newtonSystem(
  z: Float64Array,
  y: Uint8Array,
  beta: Float64Array,
  l2: number,
  eta: Float64Array,
): { gradient: Float64Array; hessian: Matrix } {
  const cols = beta.length - 1;
  const k = cols + 1;
  const gradient = new Float64Array(k);
  const h = new Float64Array(k * k);
  const row = new Float64Array(k);
  row[cols] = 1;
  for (let i = 0; i < y.length; i++) {
    const p = sigmoid(eta[i] ?? 0);
    const r = p - (y[i] ?? 0);
    const w = Math.max(p * (1 - p), 1e-12);
    for (let j = 0; j < cols; j++) row[j] = z[i * cols + j] ?? 0;
    for (let a = 0; a < k; a++) {
      const ra = row[a] ?? 0;
      gradient[a] = (gradient[a] ?? 0) + r * ra;
      const wa = w * ra;
      // Upper triangle only; mirrored below.
      for (let b = a; b < k; b++) h[a * k + b] = (h[a * k + b] ?? 0) + wa * (row[b] ?? 0);
    }
  }
  const hessian = new Matrix(k, k);
  for (let a = 0; a < k; a++) {
    // A tiny ridge on the intercept keeps the system positive definite on degenerate data.
    const ridge = a < cols ? l2 : 1e-9;
    gradient[a] = (gradient[a] ?? 0) + (a < cols ? l2 * (beta[a] ?? 0) : 0);
    for (let b = a; b < k; b++) {
      const v = (h[a * k + b] ?? 0) + (a === b ? ridge : 0);
      hessian.set(a, b, v);
      hessian.set(b, a, v);
    }
  }
  return { gradient, hessian };
}

/**
 * Fits by Newton's method with step halving. With at most a few hundred columns the Hessian is
 * small, and Newton converges in a handful of iterations where gradient descent needs a tuned rate.
 */
export function fitLogistic(
  x: DesignMatrix,
  y: Uint8Array,
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const { z, means, scales } = standardize(x);
  const cols = x.cols;
  const beta = new Float64Array(cols + 1);
  const positives = y.reduce((s, v) => s + v, 0);
  beta[cols] = Math.log((positives + 0.5) / (y.length - positives + 0.5));
  const eta = new Float64Array(y.length);
  let current = objective(z, y, beta, l2, eta);
  for (let iter = 0; iter < (options.maxIterations ?? 50); iter++) {
    const { gradient, hessian } = newtonSystem(z, y, beta, l2, eta);
    const step = new CholeskyDecomposition(hessian).solve(
      Matrix.columnVector(Array.from(gradient)),
    );
    const trial = new Float64Array(beta.length);
    let next = Number.POSITIVE_INFINITY;
    for (let halving = 0, scale = 1; halving < 30 && !(next <= current); halving++, scale /= 2) {
      for (let j = 0; j < beta.length; j++) trial[j] = (beta[j] ?? 0) - scale * step.get(j, 0);
      next = objective(z, y, trial, l2, eta);
    }
    if (!(next <= current)) break;
    const improvement = current - next;
    beta.set(trial);
    current = next;
    if (improvement <= 1e-10 * Math.max(1, current)) break;
  }
  return pack(beta, means, scales);
}

function pack(beta: Float64Array, means: number[], scales: number[]): LogisticModel {
  const cols = beta.length - 1;
  return {
    kind: 'logistic',
    means,
    scales,
    weights: Array.from(beta.subarray(0, cols)),
    intercept: beta[cols] ?? 0,
  };
}

/** Per-column contributions to the log-odds of one encoded row: weight × standardized value. */
export function logisticContributions(model: LogisticModel, row: Float64Array): Float64Array {
  const out = new Float64Array(model.weights.length);
  for (let j = 0; j < out.length; j++) {
    out[j] =
      ((model.weights[j] ?? 0) * ((row[j] ?? 0) - (model.means[j] ?? 0))) / (model.scales[j] ?? 1);
  }
  return out;
}

/** Log-odds of every row of `x`. */
export function logisticLogOdds(model: LogisticModel, x: DesignMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const row = x.values.subarray(i * x.cols, (i + 1) * x.cols);
    out[i] = logisticContributions(model, row).reduce((s, v) => s + v, model.intercept);
  }
  return out;
}
