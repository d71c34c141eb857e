import type { ParticipantWithToken } from './exercise-service';
import type { Participant } from './exercise-types';

/** A participant as the API shows it: optional fields only when set; never its token. */
export const participantView = (p: Participant) => ({
  id: p.id,
  role: p.role,
  ...(p.country && { country: p.country }),
  ...(p.key && { key: p.key }),
  ...(p.name && { name: p.name }),
  createdAt: p.createdAt.toISOString(),
  revokedAt: p.revokedAt?.toISOString() ?? null,
});

/** A participant with the token just issued to it (shown this once). */
export const issuedView = (p: ParticipantWithToken) => ({
  id: p.id,
  role: p.role,
  ...(p.country && { country: p.country }),
  ...(p.name && { name: p.name }),
  token: p.token,
});
