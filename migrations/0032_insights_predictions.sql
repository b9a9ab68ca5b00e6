-- Predictions as data (issue 15, item 1): each row asks "how likely is this outcome" of one object
-- type; the trained model is stored on it as versioned JSON. Scores of open records are kept per
-- prediction and replaced after each training. Built-in predictions carry a built_in key so they
-- are created once per organization (lazily, on first use).

CREATE TABLE predictions (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  object_type text NOT NULL,
  target_field text NOT NULL,
  positive_values text[] NOT NULL,
  negative_values text[] NOT NULL,
  excluded_fields text[] NOT NULL DEFAULT '{}',
  built_in text,
  state text NOT NULL DEFAULT 'collecting' CHECK (state IN ('collecting', 'trained', 'stale')),
  model jsonb,
  model_version integer NOT NULL DEFAULT 0,
  metrics jsonb,
  trained_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX predictions_built_in ON predictions (organization_id, built_in)
  WHERE built_in IS NOT NULL;
SELECT cerebro_tenant_rls('predictions');

CREATE TABLE prediction_scores (
  organization_id uuid NOT NULL,
  prediction_id uuid NOT NULL,
  record_id uuid NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  band text NOT NULL CHECK (band IN ('hot', 'warm', 'cold')),
  reasons jsonb NOT NULL,
  scored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, prediction_id, record_id),
  FOREIGN KEY (organization_id, prediction_id) REFERENCES predictions (organization_id, id)
    ON DELETE CASCADE
);
-- The scores list reads a prediction's scores highest first.
CREATE INDEX prediction_scores_rank
  ON prediction_scores (organization_id, prediction_id, score DESC, record_id);
SELECT cerebro_tenant_rls('prediction_scores');
