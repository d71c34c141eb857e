/**
 * The extradition step's numbers: how long the requester has after a provisional arrest to send the
 * formal extradition request, by convention, and how long a prompt to withdraw waits before the GS is
 * prompted to cancel.
 */

/** Conventions between the arresting and the requesting country. */
export const CONVENTIONS = ['european', 'inter_american', 'ecowas', 'arab'] as const;
export type Convention = (typeof CONVENTIONS)[number];

/**
 * Days from the provisional arrest to the release: European Convention on Extradition Art. 16 (18 days,
 * extendable to 40: the extended term), Inter-American Convention (60), ECOWAS Convention (20), Arab
 * convention (30 to 60: the longer).
 */
export const RELEASE_DAYS: Readonly<Record<Convention, number>> = Object.freeze({
  european: 40,
  inter_american: 60,
  ecowas: 20,
  arab: 60,
});

/** Days a prompt to withdraw (after a surrender or a location) waits before the GS is prompted to cancel (assumed). */
export const WITHDRAW_PROMPT_DAYS = 30;

const DAY_MS = 86_400_000;

/** When a person arrested at `at` is released, unless the extradition request comes first. */
export function releaseAt(
  at: Date,
  body: { convention?: Convention | undefined; releaseAfterDays?: number | undefined },
): Date {
  const days = body.releaseAfterDays ?? RELEASE_DAYS[body.convention ?? 'european'];
  return new Date(at.getTime() + days * DAY_MS);
}

export const withdrawPromptEnds = (at: Date): Date => new Date(at.getTime() + WITHDRAW_PROMPT_DAYS * DAY_MS);
