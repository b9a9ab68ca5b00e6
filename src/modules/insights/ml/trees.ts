import { binMatrix, fitBinEdges } from './binning.ts';
import { logisticLoss, logit, sigmoid } from './math.ts';
import { stratifiedSplit } from './split.ts';
import { growTree, leafOf, type GrowOptions, type Tree } from './tree-grow.ts';
import type { DesignMatrix } from './types.ts';

export type { Tree } from './tree-grow.ts';

/** Gradient-boosted trees for binary log-loss; plain JSON. */
export interface TreesModel {
  kind: 'trees';
  /** Log-odds of the training base rate, where boosting starts. */
  init: number;
  trees: Tree[];
}

/** Options of `fitTrees`; the defaults follow scikit-learn's HistGradientBoostingClassifier. */
export interface TreesOptions extends Partial<GrowOptions> {
  /** The most trees; early stopping usually ends sooner. */
  maxIterations?: number;
  /** Stop when the validation loss has not improved for this many trees. */
  patience?: number;
  /** Share of rows held back to decide when to stop; 0 trains exactly `maxIterations` trees. */
  validationFraction?: number;
  seed?: number;
}

/** Below this many rows a validation split is too noisy to stop on; a fixed count is used. */
const MIN_ROWS_FOR_EARLY_STOPPING = 500;

function logLossAt(raw: Float64Array, y: Uint8Array, rows: Uint32Array): number {
  let loss = 0;
  for (const i of rows) {
    const z = raw[i] ?? 0;
    loss += logisticLoss(z, y[i] ?? 0);
  }
  return loss / Math.max(rows.length, 1);
}

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/** Fits boosted trees, stopping early on a stratified validation split when there are enough rows. */
export function fitTrees(x: DesignMatrix, y: Uint8Array, options: TreesOptions = {}): TreesModel {
  const grow: GrowOptions = {
    maxLeaves: options.maxLeaves ?? 31,
    maxDepth: options.maxDepth ?? 12,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2: options.l2 ?? 1,
    learningRate: options.learningRate ?? 0.1,
  };
  const maxIterations = options.maxIterations ?? 200;
  const fraction = x.rows >= MIN_ROWS_FOR_EARLY_STOPPING ? (options.validationFraction ?? 0.1) : 0;
  const { train, holdout } =
    fraction > 0
      ? stratifiedSplit(y, fraction, options.seed ?? 1)
      : { train: allRows(x.rows), holdout: new Uint32Array(0) };
  const binned = binMatrix(x, fitBinEdges(x));
  let positives = 0;
  for (const i of train) positives += y[i] ?? 0;
  const init = logit((positives + 0.5) / (train.length + 1));
  const raw = new Float64Array(x.rows).fill(init);
  const gradient = new Float64Array(x.rows);
  const hessian = new Float64Array(x.rows);
  const trees: Tree[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestCount = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    for (const i of train) {
      const p = sigmoid(raw[i] ?? 0);
      gradient[i] = p - (y[i] ?? 0);
      hessian[i] = Math.max(p * (1 - p), 1e-12);
    }
    const tree = growTree(binned, gradient, hessian, train, grow);
    if (tree.feature[0] === -1 && iter > 0) break; // nothing left to learn
    trees.push(tree);
    for (let i = 0; i < x.rows; i++) {
      raw[i] = (raw[i] ?? 0) + (tree.value[leafOf(tree, x.values, i * x.cols)] ?? 0);
    }
    if (holdout.length === 0) continue;
    const loss = logLossAt(raw, y, holdout);
    if (loss < bestLoss - 1e-7) {
      bestLoss = loss;
      bestCount = trees.length;
    } else if (trees.length - bestCount >= (options.patience ?? 10)) {
      break;
    }
  }
  return { kind: 'trees', init, trees: holdout.length === 0 ? trees : trees.slice(0, bestCount) };
}

/** Log-odds of every row of `x`. */
export function treesLogOdds(model: TreesModel, x: DesignMatrix): Float64Array {
  const out = new Float64Array(x.rows).fill(model.init);
  for (const tree of model.trees) {
    for (let i = 0; i < x.rows; i++) {
      out[i] = (out[i] ?? 0) + (tree.value[leafOf(tree, x.values, i * x.cols)] ?? 0);
    }
  }
  return out;
}

/**
 * Path attribution (Saabas): along each tree's path, the change of node output at a split is
 * credited to the split's column. The base is the start value plus every root's output, so the
 * base plus the contributions is exactly the model's log-odds.
 */
export function treesContributions(
  model: TreesModel,
  row: Float64Array,
): { base: number; contributions: Float64Array } {
  const contributions = new Float64Array(row.length);
  let base = model.init;
  for (const tree of model.trees) {
    let node = 0;
    base += tree.value[0] ?? 0;
    for (let f = tree.feature[0] ?? -1; f !== -1; f = tree.feature[node] ?? -1) {
      const goLeft = (row[f] ?? 0) <= (tree.threshold[node] ?? 0);
      const child = goLeft ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
      contributions[f] =
        (contributions[f] ?? 0) + (tree.value[child] ?? 0) - (tree.value[node] ?? 0);
      node = child;
    }
  }
  return { base, contributions };
}

/** Total split gain per column, a global importance. */
export function treesImportance(model: TreesModel, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (const tree of model.trees) {
    tree.feature.forEach((f, node) => {
      if (f !== -1) out[f] = (out[f] ?? 0) + (tree.gain[node] ?? 0);
    });
  }
  return out;
}
