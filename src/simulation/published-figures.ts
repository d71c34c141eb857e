/**
 * INTERPOL's published figures that a simulation is held against (shared/domain/notice-system.md,
 * "Figures for calibrating simulations"). A model parameter may name one of them as what it was fitted
 * to, unless the figure is held out: held-out figures must come out of the model, so that they test it.
 */

export interface PublishedFigure {
  /** What the figure counts, in words. */
  label: string;
  value: number;
  year: number;
  /** Held out: no parameter is fitted to it; the model is judged on it. */
  heldOut: boolean;
  /** How far the simulated figure may lie from it, as a share of the figure (the calibration targets). */
  tolerance?: number;
}

export const PUBLISHED_FIGURES = {
  redIssued2018: { label: 'Red notices issued in 2018', value: 13_516, year: 2018, heldOut: false },
  redIssued2019: { label: 'Red notices issued in 2019', value: 13_377, year: 2019, heldOut: false },
  redIssued2024: { label: 'Red notices issued in 2024', value: 15_548, year: 2024, heldOut: false, tolerance: 0.1 },
  yellowIssued2023: {
    label: 'Yellow notices issued in 2023 (the latest published)',
    value: 2_687,
    year: 2023,
    heldOut: false,
    tolerance: 0.1,
  },
  refusedOrCancelled2024: {
    label: 'Requests refused and notices cancelled by the review task force in 2024',
    value: 2_462,
    year: 2024,
    heldOut: false,
    tolerance: 0.1,
  },
  refusedArticle2_2024: { label: 'Refused on Article 2 in 2024', value: 111, year: 2024, heldOut: false },
  refusedArticle3_2024: { label: 'Refused on Article 3 in 2024', value: 194, year: 2024, heldOut: false },
  databaseHits2018: { label: 'Positive database searches in 2018', value: 1_100_000, year: 2018, heldOut: false },
  databaseHits2022: {
    label: 'Positive database searches in 2022 (over)',
    value: 1_300_000,
    year: 2022,
    heldOut: false,
  },
  redValidEnd2023: {
    label: 'Valid Red notices at the end of 2023',
    value: 74_224,
    year: 2023,
    heldOut: true,
    tolerance: 0.1,
  },
  yellowValidEnd2023: {
    label: 'Valid Yellow notices at the end of 2023',
    value: 16_394,
    year: 2023,
    heldOut: true,
    tolerance: 0.15,
  },
  redValidEnd2019: {
    label: 'Valid Red notices in 2019 (about)',
    value: 58_000,
    year: 2019,
    heldOut: true,
    tolerance: 0.15,
  },
} as const satisfies Record<string, PublishedFigure>;

export type PublishedFigureId = keyof typeof PUBLISHED_FIGURES;
export const PUBLISHED_FIGURE_IDS = Object.keys(PUBLISHED_FIGURES) as [PublishedFigureId, ...PublishedFigureId[]];
