/**
 * What circulation does when a notice moves, in the notice's transaction (a transition effect):
 * publication writes nothing here (a recipient's record becomes a row when its country first acts,
 * src/notices/recipient-records.ts); an end closes every open record, rows and unacted recipients alike
 * (keeping a surrender or a location); a recipient that reports a Yellow notice's subject located
 * through the notice moves its own record too, as if it had reported there. A person held after a
 * provisional arrest stays held when the notice ends: the extradition step goes on (extradition.ts).
 */
import { countryName } from '../countries/member-countries';
import type { TransitionEffect } from '../notices/notice-transitions';
import { isFinalNoticeState } from '../notices/notice-types';
import { CIRCULATION_STATES, FINAL_CIRCULATION_STATES, HOLDING_STATES } from './circulation-machine';
import type { CirculationEventInput } from './circulation-schemas';
import { planRecordMove, recordTakes, writeRecordMove } from './circulation-transitions';
import { PROMPT_CANCEL, promptToWithdraw } from './extradition';

/** What the end of a notice closes: every open record but a person's held after an arrest (its step goes on). */
const OPEN_STATES = CIRCULATION_STATES.filter(
  (s) => !FINAL_CIRCULATION_STATES.includes(s) && !HOLDING_STATES.includes(s),
);

export const circulationEffect: TransitionEffect = async (tx, { notice, next, event, participantId }) => {
  const at = new Date(event.at);
  if (isFinalNoticeState(String(next.value))) {
    // A prompt to cancel is moot once the notice has ended.
    await tx.dropRecordDeadlines(notice, PROMPT_CANCEL);
    // The circulation machine's CLOSE from every open state, applied to all open records in one statement.
    return { payload: { closedRecords: await tx.closeCirculation(notice, OPEN_STATES, 'closed', at) } };
  }
  const reporter = event.actor.country;
  if (event.type !== 'REPORT_LOCATED' || !reporter) return {};
  // The person found: the requester is prompted to withdraw (and the GS later, if it does not).
  if (String(next.value) === 'located') {
    const where = reporter === notice.requestingCountry ? 'at home' : `in ${countryName(reporter)}`;
    await promptToWithdraw(tx, notice, { country: reporter, what: `The person was located ${where}` }, at);
  }
  // Reported on the record itself, the record has moved already; the requester has no record.
  const record = await tx.findRecord(notice, reporter);
  // The notice's REPORT_LOCATED may come without details; the record's history keeps what was sent.
  const body = {
    type: 'REPORT_LOCATED',
    ...(event.details !== undefined && { details: event.details }),
  } as CirculationEventInput;
  if (!record || !recordTakes(notice, record, event.actor, body, at)) return {};
  const move = planRecordMove(notice, record, { actor: event.actor, participantId }, body, at);
  await writeRecordMove(tx, record, move);
  return { payload: { country: reporter }, entries: [move.entry] };
};
