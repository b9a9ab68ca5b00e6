/** Log-odds → probability, stable for large magnitudes. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Probability → log-odds, clipped so 0 and 1 stay finite. */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

/** Log loss of one outcome `y` (0/1) at log-odds `z`: log(1 + eᶻ) − y·z, finite for any z. */
export function logisticLoss(z: number, y: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
}
