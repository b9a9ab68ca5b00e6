// The pure learning core of Insights: features, models, evaluation, explanations, scoring. No
// database and no HTTP here; the insights module around it loads records and stores models.

export type {
  DesignMatrix,
  FeatureKind,
  FeatureSpec,
  MlError,
  ModelKind,
  Outcome,
  Reason,
  ScoreResult,
  SourceRecord,
} from './types.ts';
export { encodeRecord, encodeRows, fitEncoder } from './features.ts';
export type { ColumnInfo, EncodedField, EncoderOptions, FeatureEncoder } from './features.ts';
export { fitLogistic, logisticLogOdds } from './logistic.ts';
export type { LogisticModel, LogisticOptions } from './logistic.ts';
export { fitTrees, treesLogOdds } from './trees.ts';
export type { Tree, TreesModel, TreesOptions } from './trees.ts';
export { fitNaiveBayes, naiveBayesLogOdds } from './naive-bayes.ts';
export type { NaiveBayesModel } from './naive-bayes.ts';
export { fitLearner, learnerLogOdds } from './learners.ts';
export type { Learner, LearnerOptions } from './learners.ts';
export { brierScore, calibrationTable, logLoss, measure, rocAuc } from './metrics.ts';
export type { CalibrationBin, Metrics } from './metrics.ts';
export { calibrate, fitPlatt } from './calibration.ts';
export type { PlattCalibration } from './calibration.ts';
export { stratifiedSplit, timeOrderedSplit } from './split.ts';
export type { Split } from './split.ts';
export { NAIVE_BAYES_MAX_ROWS, chooseSplit, selectModel } from './evaluate.ts';
export type { CandidateResult, Selection, TrainingData, TrainingOptions } from './evaluate.ts';
export { explainRecord, fieldImportance, topReasons } from './explain.ts';
export type { Explanation, FieldImportance } from './explain.ts';
export {
  DEFAULT_BANDS,
  bandOf,
  deserializeModel,
  scoreRecord,
  serializeModel,
  trainModel,
} from './model.ts';
export type { TrainModelOptions, TrainedModel } from './model.ts';
export {
  MIN_OUTCOMES_PER_CLASS,
  PRIOR_ENGAGEMENT_SCALE,
  PRIOR_SOURCE_QUALITY,
  PRIOR_WEIGHTS,
  isReadyToTrain,
  priorScore,
} from './prior.ts';
export type { PriorInput } from './prior.ts';
export { leadData, logisticData, xorData } from './synthetic.ts';
export type { SyntheticData } from './synthetic.ts';
export { sigmoid } from './math.ts';
