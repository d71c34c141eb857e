/**
 * Synthetic database records, seeded: the same seed and count give the same records, so a scenario or
 * a benchmark loads the same database every time. Names of several European and other origins (some
 * written in Cyrillic, as a Serbian or Russian file holds them), dates of birth, print sets and DNA
 * profiles as synthetic templates, travel documents and stolen vehicles whose VINs carry their check digit.
 * Every record passes the import's checks (a test holds it to that).
 */
import type { z } from 'zod';
import type { IsoCountry } from '../countries/country-schemas';
import { randomOf, type Random } from '../kernel/random';
import { vinCheckDigit } from './record-keys';
import type { CreateRecordInput, RecordKind } from './record-schemas';

const FAMILY = [
  'Petrović', 'Jovanović', 'Nikolić', 'Marković', 'Đorđević', 'Horvat', 'Kovač', 'Müller', 'Schmidt', 'Novak',
  'Rossi', 'Bianchi', 'García', 'Martínez', 'Dubois', 'Moreau', 'Nowak', 'Kowalski', 'Popescu', 'Ionescu',
  'Papadopoulos', 'Yılmaz', 'Kaya', 'Ivanov', 'Smirnov', 'Kuznetsov', 'Ahmed', 'Hassan', 'Silva', 'Santos',
  'Nagy', 'Kovács', 'Bauer', 'Gruber', 'Ferrari', 'Esposito', 'Lefebvre', 'Janssen', 'Andersson', 'Virtanen',
]; // prettier-ignore
const GIVEN = [
  'Marko', 'Ivan', 'Ana', 'Marija', 'Stefan', 'Nikola', 'Jovana', 'Hans', 'Anna', 'Luca', 'Giulia', 'José',
  'María', 'Pierre', 'Marie', 'Piotr', 'Ewa', 'Andrei', 'Elena', 'Giorgos', 'Mehmet', 'Ayşe', 'Sergei', 'Olga',
  'Omar', 'Fatima', 'João', 'Ana Paula', 'Milan', 'Dragan', 'László', 'Zsófia', 'Lukas', 'Sofia', 'Matteo',
]; // prettier-ignore
const SUFFIX = ['', '', '', '', 'a', 'ić', 'ov', 'ski', 'escu', 'er'];
/** Serbian and Russian files write names in Cyrillic. */
const CYRILLIC: Readonly<Record<string, string>> = {
  Petrović: 'Петровић', Jovanović: 'Јовановић', Nikolić: 'Николић', Marković: 'Марковић', Đorđević: 'Ђорђевић',
  Ivanov: 'Иванов', Smirnov: 'Смирнов', Kuznetsov: 'Кузнецов', Marko: 'Марко', Ivan: 'Иван', Ana: 'Ана',
  Marija: 'Марија', Stefan: 'Стефан', Nikola: 'Никола', Jovana: 'Јована', Milan: 'Милан', Dragan: 'Драган',
  Sergei: 'Сергей', Olga: 'Ольга', Elena: 'Елена',
}; // prettier-ignore
const OFFENCES = [
  'Armed robbery', 'Drug trafficking', 'Fraud', 'Money laundering', 'Murder', 'Trafficking in human beings',
  'Vehicle theft', 'Burglary', 'Cybercrime', 'Smuggling of migrants',
]; // prettier-ignore
const NATIONALITIES = ['RS', 'HR', 'BA', 'ME', 'DE', 'AT', 'HU', 'IT', 'FR', 'ES', 'PL', 'RO', 'GR', 'TR', 'RU', 'BR'];
const DOCUMENT_TYPES = ['passport', 'passport', 'passport', 'identity_card', 'visa', 'residence_permit'] as const;
const LOSS_KINDS = ['lost', 'lost', 'stolen_from_bearer', 'stolen_from_bearer', 'stolen_blank', 'revoked'] as const;
const LOCI = ['D3S1358', 'vWA', 'FGA', 'D8S1179', 'D21S11', 'D18S51', 'D5S818', 'D13S317', 'D7S820', 'TH01'];
/** Makers by their world manufacturer identifier (the VIN's first three characters). */
const MAKERS = [
  { wmi: 'WVW', make: 'Volkswagen', models: ['Golf', 'Passat', 'Polo'] },
  { wmi: 'WBA', make: 'BMW', models: ['320d', 'X5', '520i'] },
  { wmi: 'VF1', make: 'Renault', models: ['Clio', 'Megane'] },
  { wmi: 'ZFA', make: 'Fiat', models: ['Panda', '500'] },
  { wmi: 'TMB', make: 'Škoda', models: ['Octavia', 'Fabia'] },
  { wmi: '1HG', make: 'Honda', models: ['Civic', 'Accord'] },
  { wmi: 'JTD', make: 'Toyota', models: ['Corolla', 'Yaris'] },
];
const COLOURS = ['black', 'white', 'silver', 'grey', 'blue', 'red'];
const VIN_CHARACTERS = [...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'];
const MODEL_YEARS = [...'DEFGHJKLMNPRST'];

/** The kinds in the proportions a database of many contributors holds them. */
export const DEFAULT_MIX: Readonly<Record<RecordKind, number>> = {
  nominal: 0.5,
  fingerprints: 0.1,
  dna: 0.05,
  sltd: 0.2,
  smv: 0.15,
};

const KIND_ORDER: RecordKind[] = ['nominal', 'fingerprints', 'dna', 'sltd', 'smv'];

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random.uniform() * list.length)]!;
const digits = (random: Random, n: number) =>
  Array.from({ length: n }, () => Math.floor(random.uniform() * 10)).join('');
const pad = (n: number) => String(n).padStart(2, '0');
const dateBetween = (random: Random, from: number, to: number) =>
  `${from + Math.floor(random.uniform() * (to - from + 1))}-${pad(1 + Math.floor(random.uniform() * 12))}-` +
  pad(1 + Math.floor(random.uniform() * 28));

/** A VIN of a known maker with its check digit in ninth place. */
function vinOf(random: Random, wmi: string): string {
  const rest = Array.from({ length: 14 }, () => pick(random, VIN_CHARACTERS));
  rest[6] = pick(random, MODEL_YEARS);
  const draft = `${wmi}${rest.slice(0, 5).join('')}0${rest.slice(6).join('')}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

function nominal(random: Random, owner: string): CreateRecordInput {
  const family = pick(random, FAMILY);
  const given = pick(random, GIVEN);
  const cyrillic = (owner === 'RS' || owner === 'RU') && CYRILLIC[family] && CYRILLIC[given] && random.chance(0.7);
  const suffix = cyrillic ? '' : pick(random, SUFFIX);
  return {
    kind: 'nominal',
    familyName: cyrillic ? CYRILLIC[family]! : family + suffix,
    forename: cyrillic ? CYRILLIC[given]! : given,
    ...(random.chance(0.9) && { dateOfBirth: dateBetween(random, 1950, 2006) }),
    nationalities: random.chance(0.15) ? [owner, pick(random, NATIONALITIES)] : [owner],
    ...(random.chance(0.1) && { aliases: [`${pick(random, GIVEN)} ${pick(random, FAMILY)}`] }),
    ...(random.chance(0.6) && { offences: [pick(random, OFFENCES)] }),
  };
}

type Country = z.infer<typeof IsoCountry>;

const letter = (random: Random) => pick(random, VIN_CHARACTERS.slice(0, 23));

function recordOf(random: Random, kind: RecordKind, owner: string, index: number, seed: number): CreateRecordInput {
  switch (kind) {
    case 'nominal':
      return nominal(random, owner);
    case 'fingerprints':
      return { kind, template: `FP-${seed}-${index}`, ...(random.chance(0.3) && { description: 'ten-print set' }) };
    case 'dna':
      return {
        kind,
        profile: LOCI.map((locus) => `${locus}:${5 + Math.floor(random.uniform() * 20)},${digits(random, 2)}`).join(
          ';',
        ),
      };
    case 'sltd':
      return {
        kind,
        documentNumber: `${letter(random)}${letter(random)}${digits(random, 7)}`,
        issuingCountry: owner as Country,
        documentType: pick(random, DOCUMENT_TYPES),
        lossKind: pick(random, LOSS_KINDS),
      };
    case 'smv': {
      const maker = pick(random, MAKERS);
      return {
        kind,
        vin: vinOf(random, maker.wmi),
        plate: `${letter(random)}${letter(random)}-${digits(random, 4)}`,
        registrationCountry: owner as Country,
        make: maker.make,
        model: pick(random, maker.models),
        colour: pick(random, COLOURS),
        stolenOn: dateBetween(random, 2015, 2026),
      };
    }
  }
}

/** `count` records of one owner's database (an import's body), of the kinds in `mix`, from `seed`. */
export function generateRecords(options: {
  count: number;
  seed: number;
  owner: string;
  mix?: Readonly<Partial<Record<RecordKind, number>>>;
}): CreateRecordInput[] {
  const random = randomOf(options.seed);
  const mix = options.mix ?? DEFAULT_MIX;
  const weights = KIND_ORDER.map((k) => mix[k] ?? 0);
  return Array.from({ length: options.count }, (_, i) =>
    recordOf(random, KIND_ORDER[random.weighted(weights)]!, options.owner, i, options.seed),
  );
}
