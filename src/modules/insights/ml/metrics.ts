/** One bin of a calibration table. */
export interface CalibrationBin {
  /** Predicted probabilities in [from, to). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  /** Share of rows in the bin whose outcome happened; null for an empty bin. */
  observedRate: number | null;
}

/** Quality of probabilities against outcomes, as shown beside a model. */
export interface Metrics {
  /** Area under the ROC curve; null when only one class is present. */
  auc: number | null;
  logLoss: number;
  brier: number;
  rows: number;
  calibration: CalibrationBin[];
}

/** ROC AUC by the rank-sum formula, with tied scores sharing their average rank. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] ?? 0) - (scores[b] ?? 0),
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] ?? 0] === scores[order[start] ?? 0]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k] ?? 0] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood, with probabilities clipped so one confident miss stays finite. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i] ?? 0));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / Math.max(probabilities.length, 1);
}

/** Mean squared difference between probability and outcome. */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    sum += ((probabilities[i] ?? 0) - (labels[i] === 1 ? 1 : 0)) ** 2;
  }
  return sum / Math.max(probabilities.length, 1);
}

/** Ten equal-width bins of predicted probability with the observed rate in each. */
export function calibrationTable(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const count = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] ?? 0;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b] = (count[b] ?? 0) + 1;
    predicted[b] = (predicted[b] ?? 0) + p;
    observed[b] = (observed[b] ?? 0) + (labels[i] === 1 ? 1 : 0);
  }
  return count.map((c, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? (predicted[b] ?? 0) / c : (b + 0.5) / bins,
    observedRate: c > 0 ? (observed[b] ?? 0) / c : null,
  }));
}

/** All metrics of probabilities against 0/1 outcomes. */
export function measure(probabilities: ArrayLike<number>, labels: ArrayLike<number>): Metrics {
  return {
    auc: rocAuc(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    rows: probabilities.length,
    calibration: calibrationTable(probabilities, labels),
  };
}
