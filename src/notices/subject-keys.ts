/**
 * The search keys of a notice's subject, derived from its request on every write (deriveWrite) and
 * stored beside the snapshot, so that a search finds a notice's subject as it finds a database record:
 * by the name key (kernel/name-keys.ts) and date of birth, or by the print set or DNA profile the
 * request refers to (fingerprintsRef, dnaRef: the templates of the databases' simulated matcher).
 */
import { nameKey } from '../kernel/name-keys';
import type { NoticeRequest, Subject } from './notice-types';

export interface SubjectKeys {
  nameKey: string | null;
  birthDate: string | null;
  fingerprints: string | null;
  dna: string | null;
}

// A subject's object stays the same from one transition to the next until its request changes.
const keysOfSubject = new WeakMap<Subject, SubjectKeys>();

export function subjectKeysOf(request: Pick<NoticeRequest, 'subject'>): SubjectKeys {
  const subject = request.subject ?? {};
  let keys = keysOfSubject.get(subject);
  if (!keys) {
    keys = {
      nameKey: nameKey(subject.familyName, subject.forename),
      birthDate: subject.dateOfBirth ?? null,
      fingerprints: subject.fingerprintsRef ?? null,
      dna: subject.dnaRef ?? null,
    };
    keysOfSubject.set(subject, keys);
  }
  return keys;
}
