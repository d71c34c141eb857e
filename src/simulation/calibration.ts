/**
 * A run's figures beside INTERPOL's published ones (./published-figures.ts): for each published figure
 * that the run simulates, the simulated mean and interval, the deviation, and whether the figure lies
 * inside the interval widened by its tolerance (the calibration test's rule, and the report's table).
 */
import { PUBLISHED_FIGURES, type PublishedFigureId } from './published-figures';
import { summarise, type Figure } from './result';
import type { SimulationResult } from './run';

export interface Comparison {
  id: PublishedFigureId;
  label: string;
  published: number;
  /** The year the published figure is of, and what the run gives for it. */
  year: number;
  simulated: Figure;
  /** What the run compares it with, in words (another year's flow is said so). */
  compared: string;
  /** (simulated mean − published) / published. */
  deviation: number;
  tolerance: number | null;
  heldOut: boolean;
  /** The published figure inside the 95 % interval widened by the tolerance (null without a tolerance). */
  within: boolean | null;
}

/** The sum of figures, replication by replication. */
function sumOf(figures: Figure[]): Figure {
  const n = figures[0]!.values.length;
  return summarise(Array.from({ length: n }, (_, i) => figures.reduce((sum, f) => sum + f.values[i]!, 0)));
}

function simulatedFor(id: PublishedFigureId, result: SimulationResult): { figure: Figure; compared: string } | null {
  const f = result.figures;
  const start = Number(result.start.slice(0, 4));
  const period = result.years === 1 ? `${start}` : `${start}–${start + result.years - 1}, per year`;
  const perYear = (figure: Figure): Figure => summarise(figure.values.map((v) => v / result.years));
  const flow = (figure: Figure, what: string) => ({ figure: perYear(figure), compared: `${what}, ${period}` });
  switch (id) {
    case 'redIssued2024':
      return flow(f.redIssued, 'Red notices issued');
    case 'yellowIssued2023':
      return flow(f.yellowIssued, 'Yellow notices issued');
    case 'refusedOrCancelled2024':
      return flow(
        sumOf([f.redRefused, f.yellowRefused, f.redCancelled, f.yellowCancelled]),
        'refused by the GS and cancelled',
      );
    case 'refusedArticle2_2024':
      return flow(f.refusedArticle2, 'refused on Article 2');
    case 'refusedArticle3_2024':
      return flow(f.refusedArticle3, 'refused on Article 3');
    case 'databaseHits2022':
      return flow(f.databaseHits, 'positive database searches');
    case 'redValidEnd2023':
      return start === 2024 ? { figure: f.redValidAtStart, compared: 'valid Red on 1 January 2024' } : null;
    case 'yellowValidEnd2023':
      return start === 2024 ? { figure: f.yellowValidAtStart, compared: 'valid Yellow on 1 January 2024' } : null;
    default: {
      const stock = result.stockByYear[String(PUBLISHED_FIGURES[id].year)];
      if (id === 'redValidEnd2019' && stock)
        return { figure: stock.figures.red, compared: 'valid Red at the end of 2019' };
      return null;
    }
  }
}

/** The published figures this run can be held against, in the order they are listed. */
export function comparePublished(result: SimulationResult): Comparison[] {
  const rows: Comparison[] = [];
  for (const [id, published] of Object.entries(PUBLISHED_FIGURES) as [
    PublishedFigureId,
    (typeof PUBLISHED_FIGURES)[PublishedFigureId],
  ][]) {
    const simulated = simulatedFor(id, result);
    if (!simulated) continue;
    const tolerance = 'tolerance' in published ? published.tolerance : null;
    const [lo, hi] = simulated.figure.ci95;
    const within =
      tolerance === null
        ? null
        : published.value >= lo - tolerance * published.value && published.value <= hi + tolerance * published.value;
    rows.push({
      id,
      label: published.label,
      published: published.value,
      year: published.year,
      simulated: simulated.figure,
      compared: simulated.compared,
      deviation: (simulated.figure.mean - published.value) / published.value,
      tolerance,
      heldOut: published.heldOut,
      within,
    });
  }
  return rows;
}
