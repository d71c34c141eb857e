/**
 * What follows a record's move on the extradition path, in the move's transaction: the release deadline
 * a provisional arrest sets and the extradition request (or a surrender) lifts, a refusal's addendum on
 * the notice, and the `system` messages that tell and prompt the teams concerned (the requester, the
 * arresting country, the GS). A record's own deadline falling due (`fireRecordDeadline`) releases the
 * person, or prompts the GS to cancel a notice whose purpose was achieved and that is still not withdrawn.
 */
import { countryName } from '../countries/member-countries';
import { labelOf } from '../kernel/labels';
import { systemMessage } from '../messages/message-service';
import { insertMessage } from '../messages/message-store';
import type { NewHistoryEntry, NoticeTx, StoredNotice } from '../notices/notice-store-type';
import type { RecordDeadlineFiring } from '../notices/notice-deadlines';
import { contextOf } from '../notices/notice-transitions';
import { isFinalNoticeState } from '../notices/notice-types';
import type { CirculationEventInput } from './circulation-schemas';
import { planRecordMove, recordTakes, writeRecordMove, type RecordMove } from './circulation-transitions';
import { releaseAt, withdrawPromptEnds, RELEASE_DAYS, WITHDRAW_PROMPT_DAYS } from './extradition-rules';

export const RELEASE = 'RELEASE';
export const PROMPT_CANCEL = 'PROMPT_CANCEL';

const SYSTEM = { role: 'system' as const };

const dateWords = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(d);

/** "the Red notice for PETROVIC Marko (Monaco)". */
export function noticeWords(notice: StoredNotice): string {
  const { familyName, forename } = contextOf(notice).request.subject ?? {};
  const name = [familyName, forename].filter(Boolean).join(' ');
  const type = notice.type === 'RED' ? 'Red' : 'Yellow';
  return `the ${type} notice${name ? ` for ${name}` : ''} (${countryName(notice.requestingCountry)})`;
}

/** A `system` message about the notice (or one of its records), in the change's transaction. */
export async function tell(
  tx: NoticeTx,
  notice: StoredNotice,
  message: { to: string[]; country?: string; urgent?: boolean; subject: string; body: string; at: Date },
): Promise<void> {
  // The store in memory (unit tests) keeps no messages.
  if (!tx.sql) return;
  await insertMessage(
    tx.db,
    systemMessage({
      exerciseId: notice.exerciseId,
      run: notice.run,
      recipients: [...new Set(message.to)],
      priority: message.urgent ? 'urgent' : 'routine',
      subject: message.subject,
      body: message.body,
      about: { noticeId: notice.id, ...(message.country && { country: message.country }) },
      at: message.at,
    }),
  );
}

/** The requester is prompted to withdraw a notice whose purpose is achieved; the GS later, if it does not. */
export async function promptToWithdraw(
  tx: NoticeTx,
  notice: StoredNotice,
  where: { country: string; what: string },
  at: Date,
): Promise<void> {
  await tell(tx, notice, {
    to: [notice.requestingCountry],
    country: where.country,
    subject: `${where.what}: withdraw ${noticeWords(notice)}`,
    body:
      `${where.what}. The purpose of ${noticeWords(notice)} is achieved: withdraw it. If it is not withdrawn by ` +
      `${dateWords(withdrawPromptEnds(at))}, the General Secretariat is asked to cancel it.`,
    at,
  });
  await tx.setRecordDeadline(notice, where.country, PROMPT_CANCEL, withdrawPromptEnds(at));
}

/** What a record's move brings besides itself on the extradition path (nothing for the others). */
export async function followExtradition(
  tx: NoticeTx,
  notice: StoredNotice,
  body: CirculationEventInput,
  move: RecordMove,
  at: Date,
): Promise<void> {
  const country = move.entry.country ?? '';
  const where = countryName(country);
  if (body.type === 'PROVISIONAL_ARREST') {
    const due = releaseAt(at, body);
    const days = body.releaseAfterDays ?? RELEASE_DAYS[body.convention ?? 'european'];
    await tx.setRecordDeadline(notice, country, RELEASE, due);
    await tell(tx, notice, {
      to: [notice.requestingCountry],
      country,
      urgent: true,
      subject: `Provisional arrest in ${where}: the extradition request is due by ${dateWords(due)}`,
      body:
        `${where} reports the provisional arrest of the subject of ${noticeWords(notice)}. Send the formal ` +
        `extradition request on ${where}’s record by ${dateWords(due)} (${days} days), or the person is released.`,
      at,
    });
    return;
  }
  if (body.type === 'EXTRADITION_REQUESTED') {
    await tx.setRecordDeadline(notice, country, RELEASE, null);
    return;
  }
  if (body.type === 'REFUSE_EXTRADITION') {
    await tx.addAddendum(notice, {
      kind: 'extradition_refused',
      country,
      basis: body.basis,
      reason: body.reason,
      at: at.toISOString(),
    });
    const basis = labelOf('extraditionBases', body.basis).toLowerCase();
    await tell(tx, notice, {
      to: ['gs', notice.requestingCountry],
      country,
      subject: `${where} refuses extradition (${basis})`,
      body:
        `${where} refuses to extradite the subject of ${noticeWords(notice)}: ${body.reason}. The refusal is added ` +
        'to the notice as an addendum; the notice stays unless the refusal’s grounds also breach INTERPOL’s rules.',
      at,
    });
    return;
  }
  if (move.to === 'surrendered') {
    await tx.setRecordDeadline(notice, country, RELEASE, null);
    // A notice already ended (withdrawn while the person was held) has nothing left to withdraw.
    if (!isFinalNoticeState(notice.state)) {
      await promptToWithdraw(tx, notice, { country, what: `The person was surrendered by ${where}` }, at);
    }
  }
}

/** A record's own deadline falling due: the release of a person held, or the GS's prompt to cancel. */
export const fireRecordDeadline: RecordDeadlineFiring = async (tx, notice, due) => {
  const entries: NewHistoryEntry[] = [];
  const where = countryName(due.country);
  if (due.event === PROMPT_CANCEL) {
    if (isFinalNoticeState(notice.state)) return { entries, told: false };
    await tell(tx, notice, {
      to: ['gs'],
      country: due.country,
      subject: `Cancel ${noticeWords(notice)}: its purpose is achieved`,
      body:
        `${WITHDRAW_PROMPT_DAYS} days ago the requester was asked to withdraw ${noticeWords(notice)}, whose ` +
        'purpose is achieved, and has not: consider cancelling it.',
      at: due.dueAt,
    });
    return { entries, told: true };
  }
  if (due.event !== RELEASE) return { entries, told: false };
  const record = await tx.findRecord(notice, due.country);
  const body = { type: 'RELEASE' } as const;
  if (!record || !recordTakes(notice, record, SYSTEM, body, due.dueAt)) return { entries, told: false };
  const move = planRecordMove(notice, record, { actor: SYSTEM, participantId: null }, body, due.dueAt);
  await writeRecordMove(tx, record, move);
  await tell(tx, notice, {
    to: [notice.requestingCountry, due.country],
    country: due.country,
    urgent: true,
    subject: `Released in ${where}: no extradition request in time`,
    body:
      `No formal extradition request reached ${where} by the deadline: the subject of ${noticeWords(notice)} ` +
      'is released. The notice stays in force.',
    at: due.dueAt,
  });
  return { entries: [move.entry], told: true };
};
