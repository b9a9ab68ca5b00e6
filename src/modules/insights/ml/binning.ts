import type { DesignMatrix } from './types.ts';

/** At most this many bins per column, so a bin index fits one byte. */
export const MAX_BINS = 255;
/** Quantiles are estimated from at most this many rows; more adds time, not precision. */
const SAMPLE_ROWS = 200_000;

/** Rows reduced to bin indices, row-major, with each column's bin edges. */
export interface BinnedMatrix {
  rows: number;
  cols: number;
  /** `bins[row * cols + col]`. */
  bins: Uint8Array;
  /** Per column, ascending upper edges: bin b holds values ≤ edges[b] (and above edges[b − 1]). */
  edges: Float64Array[];
}

/** Upper bin edges of one column: midpoints between distinct values, or quantiles when there are many. */
function columnEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] ?? 0;
    if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v);
  }
  if (distinct.length <= maxBins) {
    const edges = new Float64Array(Math.max(distinct.length - 1, 0));
    for (let b = 0; b < edges.length; b++) {
      edges[b] = ((distinct[b] ?? 0) + (distinct[b + 1] ?? 0)) / 2;
    }
    return edges;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const v = sorted[Math.floor((b * sorted.length) / maxBins)] ?? 0;
    if (edges.length === 0 || v > (edges[edges.length - 1] ?? 0)) edges.push(v);
  }
  return Float64Array.from(edges);
}

/** Learns bin edges per column from the rows of `x`. */
export function fitBinEdges(x: DesignMatrix, maxBins: number = MAX_BINS): Float64Array[] {
  const step = Math.max(1, Math.floor(x.rows / SAMPLE_ROWS));
  const sampled = Math.ceil(x.rows / step);
  const edges: Float64Array[] = [];
  for (let j = 0; j < x.cols; j++) {
    const column = new Float64Array(sampled);
    for (let k = 0, i = 0; i < x.rows; i += step, k++) column[k] = x.values[i * x.cols + j] ?? 0;
    edges.push(columnEdges(column.sort(), maxBins));
  }
  return edges;
}

/** The bin of `value`: the first edge it does not exceed, or one past the last edge. */
export function binOf(edges: Float64Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= (edges[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Replaces every value of `x` by its bin index. */
export function binMatrix(x: DesignMatrix, edges: Float64Array[]): BinnedMatrix {
  const bins = new Uint8Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      bins[i * x.cols + j] = binOf(edges[j] ?? new Float64Array(0), x.values[i * x.cols + j] ?? 0);
    }
  }
  return { rows: x.rows, cols: x.cols, bins, edges };
}
