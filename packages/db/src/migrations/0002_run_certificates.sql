-- Every run's certificate: the best value the certifier can vouch for, a sound upper bound on the objective
-- over the run's constraints, and how that bound fell (for late joiners and the dashboard's chart).
-- One row per run, created with the run; PENDING until the optimisation ends, RUNNING while bounds arrive,
-- then DONE, UNSUPPORTED (why: reason), OFF (not asked for) or STOPPED (the run ended first).
CREATE TABLE run_certificates (
  run_id uuid PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'PENDING'
    CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'UNSUPPORTED', 'OFF', 'STOPPED')),
  time_limit_seconds double precision NOT NULL CHECK (time_limit_seconds >= 0),
  -- Null until a feasible input is known.
  best_value double precision,
  upper_bound double precision,
  -- (upper_bound − best_value) / |upper_bound|; null while it is infinite (no feasible input yet).
  gap double precision CHECK (gap >= 0),
  proven boolean,
  method text,
  reason text,
  seconds double precision,
  -- [{seconds, upperBound, bestValue, gap, method}], oldest first.
  history jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  -- A bound below the certifier's own best value would be a soundness bug: never stored.
  CHECK (upper_bound IS NULL OR best_value IS NULL OR upper_bound >= best_value),
  CHECK (status <> 'DONE' OR (upper_bound IS NOT NULL AND proven IS NOT NULL AND method IS NOT NULL)),
  CHECK (status NOT IN ('UNSUPPORTED', 'OFF', 'STOPPED') OR reason IS NOT NULL)
);

-- The first schema reserved an untyped jsonb column for this; nothing ever wrote it.
ALTER TABLE runs DROP COLUMN certificate;
