/** How notices and their history are shown: the API's DTOs and the public extract, built field by field. */
import { runChecks } from './compliance-checks';
import { actorOf, type Principal } from '../exercises/exercise-types';
import type { HistoryEntry, StoredNotice } from './notice-store-type';
import type { HistoryEntryDto, NoticeDto, PublicExtract } from './notice-response-schemas';
import { allowedNoticeEvents, contextOf } from './notice-transitions';
import type { NoticeRequest } from './notice-types';
import { ageAt } from './subject-age';

type RequestFields = Pick<
  NoticeDto,
  | 'subject'
  | 'offence'
  | 'extraditionFrom'
  | 'article3Concern'
  | 'disappearance'
  | 'adultConsent'
  | 'publicExtractConsent'
>;

function requestFields(request: NoticeRequest): RequestFields {
  const { type: _type, ...rest } = request;
  return rest;
}

export function toNoticeDto(notice: StoredNotice, principal: Principal): NoticeDto {
  const context = contextOf(notice);
  return {
    id: notice.id,
    exerciseId: notice.exerciseId,
    run: notice.run,
    type: notice.type,
    state: notice.state as NoticeDto['state'],
    requestingCountry: notice.requestingCountry,
    recipients: notice.recipients,
    version: notice.version,
    // A notice of an ended run takes no event.
    allowedEvents: isOfEndedRun(notice) ? [] : allowedNoticeEvents(notice, actorOf(principal)),
    // A draft's checks have not run yet (they do on SUBMIT); computed here, they tell the NCB what is missing.
    checks: notice.state === 'draft' ? runChecks(context.request) : context.checks,
    ...requestFields(context.request),
    pendingQuestion: context.pendingQuestion,
    addenda: notice.addenda ?? [],
    deadlines: context.deadlines,
    deadline: context.deadlines[0] ?? null,
    publishedAt: notice.publishedAt?.toISOString() ?? null,
    expiresAt: notice.expiresAt?.toISOString() ?? null,
    lastEventAt: notice.lastEventAt?.toISOString() ?? null,
    createdAt: notice.createdAt.toISOString(),
    updatedAt: notice.updatedAt.toISOString(),
  };
}

/** A reset has started a later run than the notice's (src/exercises/runs.ts). */
export const isOfEndedRun = (notice: StoredNotice): boolean =>
  notice.exerciseRun !== null && notice.run < notice.exerciseRun;

export const toHistoryDto = (h: HistoryEntry): HistoryEntryDto => ({
  seq: h.seq,
  type: h.type,
  actor: h.participantName ? { ...h.actor, name: h.participantName } : h.actor,
  from: h.from,
  to: h.to,
  ...(h.country && { country: h.country }),
  at: h.at.toISOString(),
  recordedAt: h.recordedAt.toISOString(),
  payload: h.payload,
});

/** The public extract of a notice at simulated `now`: only names, age, nationalities, charges or place, photo. */
export function toPublicExtract(notice: StoredNotice, now: Date): PublicExtract {
  const { request } = contextOf(notice);
  const { subject } = request;
  return {
    id: notice.id,
    type: notice.type,
    requestingCountry: notice.requestingCountry,
    ...(subject.familyName && { familyName: subject.familyName }),
    ...(subject.forename && { forename: subject.forename }),
    age: ageAt(subject, now),
    nationalities: [...(subject.nationalities ?? [])],
    ...(request.type === 'RED' && {
      charges: {
        ...(request.offence.category && { category: request.offence.category }),
        ...(request.offence.summary && { summary: request.offence.summary }),
      },
    }),
    ...(request.type === 'YELLOW' && {
      disappearance: {
        ...(request.disappearance.date && { date: request.disappearance.date }),
        ...(request.disappearance.place && { place: request.disappearance.place }),
        ...(request.disappearance.country && { country: request.disappearance.country }),
      },
    }),
    ...(subject.photoRef && { photoRef: subject.photoRef }),
  };
}
