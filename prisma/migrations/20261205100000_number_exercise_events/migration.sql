-- One round of an exercise's sequencer (src/exercises/exercise-sequencer.ts) in one call, so a round is
-- one round trip and one commit rather than a transaction of five statements:
-- lock the exercise's counter, then (in statements of their own, which under READ COMMITTED see every
-- row committed before they start, including what the lock's previous holder numbered) number the
-- committed unnumbered history rows in id order from the counter on, move the counter, and tell every
-- process's streams. Returns how many rows it numbered; 0 for an unknown exercise.
-- A reset calls it too, inside its own transaction, holding the row FOR UPDATE already.
CREATE FUNCTION number_exercise_events(p_exercise uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  numbered bigint;
BEGIN
  PERFORM 1 FROM exercises WHERE id = p_exercise FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM notice_events
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE notice_events e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING e.id
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO numbered FROM done, moved;
  IF numbered > 0 THEN
    PERFORM pg_notify('exercise_events', p_exercise::text);
  END IF;
  RETURN numbered;
END
$$;
