/**
 * The insights module: predictions as data — built-in and admin-defined "how likely is X"
 * questions over any object, trained by a durable job on the organization's own records with the
 * pure learning core in `ml/`, their model cards, and the scores of records whose outcome is open.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { predictionRoutes } from './http.js';
import { trainJob } from './training.js';

/**
 * Insights as the module list sees it. Sales roles read predictions and scores; only admins
 * (who get every resource) train them.
 */
export const insightsModule: ModuleDefinition = {
  name: 'insights',
  routes: predictionRoutes,
  jobs: [trainJob],
  permissions: [{ resource: 'predictions', actions: ['read', 'update'] }],
  defaultGrants: {
    sales_manager: [{ permission: 'predictions:read', scope: 'all' }],
    sales_rep: [{ permission: 'predictions:read', scope: 'all' }],
  },
};

export { TRAIN_JOB, trainPrediction } from './training.js';
export { BUILT_IN_PREDICTIONS } from './built-ins.js';
export type { ModelCard, PredictionView, ScoreView } from './predictions.js';
