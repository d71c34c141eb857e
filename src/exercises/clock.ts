/** An exercise's simulated clock as stored: simulated time `simEpoch` at wall time `wallAnchor`, running at `speed`. */
export interface ExerciseClock {
  simEpoch: Date;
  wallAnchor: Date;
  /** Simulated seconds per wall second. */
  speed: number;
  running: boolean;
}

/** Simulated now: the epoch, plus the wall time since the anchor scaled by speed while the clock runs. */
export function simulatedNow(clock: ExerciseClock, wallNow: Date = new Date()): Date {
  if (!clock.running) return new Date(clock.simEpoch);
  const elapsed = Math.max(0, wallNow.getTime() - clock.wallAnchor.getTime());
  return new Date(clock.simEpoch.getTime() + Math.round(elapsed * clock.speed));
}
