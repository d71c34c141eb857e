import type { Role } from './exercise-types';

/** Each role in words, as a trainee reads it on a card or a page; the code stays the API's. */
export const ROLE_NAMES: Record<Role, string> = {
  ncb: 'National Central Bureau',
  gs: 'General Secretariat',
  ccf: 'Commission for the Control of INTERPOL’s Files',
  facilitator: 'Facilitator',
  observer: 'Observer',
  system: 'Simulator',
};
