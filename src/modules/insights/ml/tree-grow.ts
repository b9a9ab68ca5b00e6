import type { BinnedMatrix } from './binning.ts';

/** One regression tree, as parallel arrays (plain JSON); node 0 is the root. */
export interface Tree {
  /** Column tested at each node; −1 marks a leaf. */
  feature: number[];
  /** Rows with value ≤ threshold go left. */
  threshold: number[];
  left: number[];
  right: number[];
  /** Every node's output (already times the learning rate), so paths can be attributed. */
  value: number[];
  /** Loss reduction of each split (0 at leaves), for global importance. */
  gain: number[];
}

/** How a tree is grown. */
export interface GrowOptions {
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** L2 penalty on leaf outputs; keeps small leaves from extreme values. */
  l2: number;
  learningRate: number;
}

/** A node still open for splitting: its rows are `order[start, end)`. */
interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  histogram: Float64Array;
  split: { feature: number; bin: number; gain: number } | undefined;
}

/** Per-column offsets into a histogram laid out as [column][bin] × (gradient, hessian, count). */
function histogramOffsets(binned: BinnedMatrix): Int32Array {
  const offsets = new Int32Array(binned.cols + 1);
  for (let j = 0; j < binned.cols; j++) {
    offsets[j + 1] = (offsets[j] ?? 0) + ((binned.edges[j]?.length ?? 0) + 1) * 3;
  }
  return offsets;
}

interface Context {
  binned: BinnedMatrix;
  gradient: Float64Array;
  hessian: Float64Array;
  order: Uint32Array;
  offsets: Int32Array;
  options: GrowOptions;
}

function buildHistogram(ctx: Context, start: number, end: number): Float64Array {
  const { binned, gradient, hessian, order, offsets } = ctx;
  const cols = binned.cols;
  const hist = new Float64Array(offsets[cols] ?? 0);
  for (let k = start; k < end; k++) {
    const i = order[k] ?? 0;
    const g = gradient[i] ?? 0;
    const h = hessian[i] ?? 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const o = (offsets[j] ?? 0) + (binned.bins[base + j] ?? 0) * 3;
      hist[o] = (hist[o] ?? 0) + g;
      hist[o + 1] = (hist[o + 1] ?? 0) + h;
      hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    }
  }
  return hist;
}

function totals(hist: Float64Array, offsets: Int32Array): [number, number, number] {
  let g = 0;
  let h = 0;
  let n = 0;
  for (let o = offsets[0] ?? 0; o < (offsets[1] ?? 0); o += 3) {
    g += hist[o] ?? 0;
    h += hist[o + 1] ?? 0;
    n += hist[o + 2] ?? 0;
  }
  return [g, h, n];
}

/** The split with the largest loss reduction, or undefined when none respects the limits. */
function bestSplit(ctx: Context, hist: Float64Array): OpenLeaf['split'] {
  const { offsets, options } = ctx;
  const { l2, minSamplesLeaf } = options;
  const [g, h, n] = totals(hist, offsets);
  const parentScore = (g * g) / (h + l2);
  let best: OpenLeaf['split'];
  for (let j = 0; j < ctx.binned.cols; j++) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const last = (offsets[j + 1] ?? 0) - 3;
    for (let o = offsets[j] ?? 0; o < last; o += 3) {
      gl += hist[o] ?? 0;
      hl += hist[o + 1] ?? 0;
      nl += hist[o + 2] ?? 0;
      if (nl < minSamplesLeaf) continue;
      if (n - nl < minSamplesLeaf) break;
      const gr = g - gl;
      const hr = h - hl;
      if (hl < 1e-6 || hr < 1e-6) continue;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > 1e-9 && (best === undefined || gain > best.gain)) {
        best = { feature: j, bin: (o - (offsets[j] ?? 0)) / 3, gain };
      }
    }
  }
  return best;
}

/** Moves the rows going left to the front of `order[start, end)`; answers the boundary. */
function partition(ctx: Context, leaf: OpenLeaf, feature: number, bin: number): number {
  const { order, binned } = ctx;
  let lo = leaf.start;
  let hi = leaf.end - 1;
  while (lo <= hi) {
    const i = order[lo] ?? 0;
    if ((binned.bins[i * binned.cols + feature] ?? 0) <= bin) {
      lo++;
    } else {
      order[lo] = order[hi] ?? 0;
      order[hi] = i;
      hi--;
    }
  }
  return lo;
}

function leafValue(hist: Float64Array, ctx: Context): number {
  const [g, h] = totals(hist, ctx.offsets);
  return (-g / (h + ctx.options.l2)) * ctx.options.learningRate;
}

/**
 * Grows one tree best-first (the leaf with the largest gain splits next, as LightGBM and
 * scikit-learn's HistGradientBoosting do), building the smaller child's histogram and deriving
 * the larger one by subtraction from the parent.
 */
export function growTree(
  binned: BinnedMatrix,
  gradient: Float64Array,
  hessian: Float64Array,
  rows: Uint32Array,
  options: GrowOptions,
): Tree {
  const ctx: Context = {
    binned,
    gradient,
    hessian,
    order: Uint32Array.from(rows),
    offsets: histogramOffsets(binned),
    options,
  };
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [], gain: [] };
  const addNode = (hist: Float64Array): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(leafValue(hist, ctx));
    tree.gain.push(0);
    return tree.value.length - 1;
  };
  const open = (node: number, start: number, end: number, depth: number, hist: Float64Array) => {
    const canSplit = depth < options.maxDepth && end - start >= 2 * options.minSamplesLeaf;
    const split = canSplit ? bestSplit(ctx, hist) : undefined;
    return { node, start, end, depth, histogram: hist, split };
  };
  const rootHist = buildHistogram(ctx, 0, rows.length);
  const leaves: OpenLeaf[] = [open(addNode(rootHist), 0, rows.length, 0, rootHist)];
  let leafCount = 1;
  while (leafCount < options.maxLeaves) {
    let pick = -1;
    leaves.forEach((leaf, at) => {
      const gain = leaf.split?.gain ?? 0;
      if (gain > 0 && (pick === -1 || gain > (leaves[pick]?.split?.gain ?? 0))) pick = at;
    });
    const leaf = leaves[pick];
    if (leaf?.split === undefined) break;
    leaves.splice(pick, 1);
    const { feature, bin, gain } = leaf.split;
    const middle = partition(ctx, leaf, feature, bin);
    const leftIsSmaller = middle - leaf.start <= leaf.end - middle;
    const small = leftIsSmaller
      ? buildHistogram(ctx, leaf.start, middle)
      : buildHistogram(ctx, middle, leaf.end);
    const large = leaf.histogram.map((v, o) => v - (small[o] ?? 0));
    const [leftHist, rightHist] = leftIsSmaller ? [small, large] : [large, small];
    const left = addNode(leftHist);
    const right = addNode(rightHist);
    tree.feature[leaf.node] = feature;
    tree.threshold[leaf.node] = binned.edges[feature]?.[bin] ?? 0;
    tree.left[leaf.node] = left;
    tree.right[leaf.node] = right;
    tree.gain[leaf.node] = gain;
    leaves.push(open(left, leaf.start, middle, leaf.depth + 1, leftHist));
    leaves.push(open(right, middle, leaf.end, leaf.depth + 1, rightHist));
    leafCount++;
  }
  return tree;
}

/** The leaf a row ends in, reading raw (unbinned) values at `values[offset + column]`. */
export function leafOf(tree: Tree, values: Float64Array, offset: number): number {
  let node = 0;
  for (let f = tree.feature[0] ?? -1; f !== -1; f = tree.feature[node] ?? -1) {
    const goLeft = (values[offset + f] ?? 0) <= (tree.threshold[node] ?? 0);
    node = goLeft ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
  }
  return node;
}
