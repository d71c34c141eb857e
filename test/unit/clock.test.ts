import { addIsoDuration, applyClockAction, simulatedNow, type ExerciseClock } from '../../src/exercises/clock';

const wall = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const start: ExerciseClock = { simEpoch: new Date('2030-06-01T09:00:00Z'), wallAnchor: wall(0), speed: 60, running: true, freezeWhilePaused: true };

describe('the simulated clock', () => {
  it('runs at its speed from its anchor, and stands still when paused', () => {
    expect(simulatedNow(start, wall(10)).toISOString()).toBe('2030-06-01T09:10:00.000Z');
    const paused = applyClockAction(start, { action: 'pause' }, wall(10));
    expect(simulatedNow(paused, wall(1000)).toISOString()).toBe('2030-06-01T09:10:00.000Z');
    const resumed = applyClockAction(paused, { action: 'resume' }, wall(1000));
    expect(simulatedNow(resumed, wall(1001)).toISOString()).toBe('2030-06-01T09:11:00.000Z');
  });

  it('keeps what has elapsed when the speed changes', () => {
    const faster = applyClockAction(start, { action: 'set_speed', speed: 3600 }, wall(10));
    expect(simulatedNow(faster, wall(11)).toISOString()).toBe('2030-06-01T10:10:00.000Z');
  });

  it('advances by calendar durations from the current simulated time', () => {
    const advanced = applyClockAction(start, { action: 'advance', by: 'P1M' }, wall(0));
    expect(simulatedNow(advanced, wall(0)).toISOString()).toBe('2030-07-01T09:00:00.000Z');
    expect(addIsoDuration(new Date('2028-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(addIsoDuration(new Date('2030-01-31T12:00:00Z'), 'P1MT6H').toISOString()).toBe('2030-02-28T18:00:00.000Z');
    expect(() => addIsoDuration(start.simEpoch, '30 days')).toThrow(RangeError);
  });

  it('stops at the end of year 9999 however fast and long it runs', () => {
    const fastest: ExerciseClock = { ...start, speed: 31_536_000 };
    expect(simulatedNow(fastest, new Date(wall(0).getTime() + 30 * 86_400_000)).toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(simulatedNow(applyClockAction({ ...start, simEpoch: new Date('9999-06-01T00:00:00Z') }, { action: 'advance', by: 'P1Y' }, wall(0)), wall(0)).getUTCFullYear()).toBe(9999);
  });
});
