-- What a run's search in a prior found beside its answer: the accentuation's anchor image, the diverse
-- prototypes with their realism. Null for runs that asked for neither.
ALTER TABLE runs ADD COLUMN prior_search jsonb;
