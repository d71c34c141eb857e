import type { NoticeRequest, NoticeRequestChanges } from './notice-types';

/**
 * Merges PROVIDE_INFO changes into the request; keys that do not belong to the request's type are ignored.
 * Requests and changes are never changed in place, so the merge of the same two objects is kept and given
 * again (a simulation's answers share both, and the checks are kept per request object).
 */
export function applyRequestChanges(request: NoticeRequest, changes: NoticeRequestChanges | undefined): NoticeRequest {
  if (!changes) return request;
  let byChanges = merged.get(request);
  if (!byChanges) merged.set(request, (byChanges = new WeakMap()));
  let result = byChanges.get(changes);
  if (!result) byChanges.set(changes, (result = merge(request, changes)));
  return result;
}

const merged = new WeakMap<NoticeRequest, WeakMap<NoticeRequestChanges, NoticeRequest>>();

function merge(request: NoticeRequest, changes: NoticeRequestChanges): NoticeRequest {
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
