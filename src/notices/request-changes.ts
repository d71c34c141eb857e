import type { NoticeRequest, NoticeRequestChanges } from './notice-types';

/** Merges PROVIDE_INFO changes into the request; keys that do not belong to the request's type are ignored. */
export function applyRequestChanges(request: NoticeRequest, changes: NoticeRequestChanges | undefined): NoticeRequest {
  if (!changes) return request;
  const subject = { ...request.subject, ...changes.subject };
  const publicExtractConsent = changes.publicExtractConsent ?? request.publicExtractConsent;
  if (request.type === 'RED') {
    return {
      ...request,
      subject,
      offence: { ...request.offence, ...changes.offence },
      extraditionFrom: changes.extraditionFrom ?? request.extraditionFrom,
      article3Concern: changes.article3Concern ?? request.article3Concern,
      publicExtractConsent,
    };
  }
  return {
    ...request,
    subject,
    disappearance: { ...request.disappearance, ...changes.disappearance },
    adultConsent: changes.adultConsent ?? request.adultConsent,
    publicExtractConsent,
  };
}
