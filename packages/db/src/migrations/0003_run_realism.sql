-- How realistic a finished run's best input is, for models of a known dataset (nearest training image and
-- its percentile, manifold distance, independent judges' labels, the criteria met). Null when not measured.
ALTER TABLE runs ADD COLUMN realism jsonb;
