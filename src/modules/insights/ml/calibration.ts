import { fitLogistic } from './logistic.ts';
import { logisticLoss } from './math.ts';

/**
 * Platt scaling: calibrated log-odds = slope × raw log-odds + offset. It is chosen over isotonic
 * regression because it stays linear in log-odds — the reasons of a score still add up exactly —
 * and two parameters do not overfit the small holdouts a CRM has.
 */
export interface PlattCalibration {
  slope: number;
  offset: number;
}

/** The calibration that changes nothing. */
export const IDENTITY_CALIBRATION: PlattCalibration = { slope: 1, offset: 0 };

/** Fits Platt scaling on held-out raw log-odds and outcomes (lightly regularized toward no change). */
export function fitPlatt(rawLogOdds: Float64Array, labels: Uint8Array): PlattCalibration {
  const positives = labels.reduce((s, v) => s + v, 0);
  // One outcome only says nothing about how confident the model should be.
  if (positives === 0 || positives === labels.length) return IDENTITY_CALIBRATION;
  const fitted = fitLogistic({ rows: rawLogOdds.length, cols: 1, values: rawLogOdds }, labels, {
    l2: 1e-3,
  });
  // The weight is on the standardized column: slope = w / scale, offset = intercept − slope × mean.
  const slope = (fitted.weights[0] ?? 0) / (fitted.scales[0] ?? 1);
  const offset = fitted.intercept - slope * (fitted.means[0] ?? 0);
  // A non-positive slope would invert the ranking; the raw model is then kept as it is.
  if (!(slope > 0) || !Number.isFinite(offset)) return IDENTITY_CALIBRATION;
  // Likelihood-ratio test: refitting two parameters on a few hundred rows always "improves" the
  // fit, and applying that noise made a well-calibrated model worse. Only a gain beyond the 95%
  // point of chi-squared with 2 degrees of freedom (5.99, halved for log-likelihoods) is kept.
  const gain =
    negativeLogLikelihood(rawLogOdds, labels, IDENTITY_CALIBRATION) -
    negativeLogLikelihood(rawLogOdds, labels, { slope, offset });
  return gain > CHI_SQUARED_2DF_95 / 2 ? { slope, offset } : IDENTITY_CALIBRATION;
}

const CHI_SQUARED_2DF_95 = 5.991;

function negativeLogLikelihood(
  rawLogOdds: Float64Array,
  labels: Uint8Array,
  calibration: PlattCalibration,
): number {
  let sum = 0;
  rawLogOdds.forEach((raw, i) => {
    const z = calibrate(calibration, raw);
    sum += logisticLoss(z, labels[i] ?? 0);
  });
  return sum;
}

/** Applies the calibration to raw log-odds. */
export function calibrate(calibration: PlattCalibration, rawLogOdds: number): number {
  return calibration.slope * rawLogOdds + calibration.offset;
}
