import { countryName } from '../countries/member-countries';
import { esc } from '../kernel/html';
import { labelOf } from '../kernel/labels';
import type { ParticipantWithToken } from './exercise-service';
import type { Exercise } from './exercise-types';

/**
 * The token sheet: one printable card per participant with its sign-in link and a QR code of it.
 * The token travels in the URL fragment (`#token=`), which browsers never send to a server, so it
 * stays out of every server's logs; the dashboard reads it once and removes it from the address bar.
 */

/** The sign-in link of a token on the dashboard at `publicUrl`. */
export const signInLink = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/#token=${encodeURIComponent(token)}`;

const STYLE = `
  @page { size: A4; margin: 10mm; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; }
  header { margin: 0 0 6mm; }
  header h1 { font-size: 14pt; margin: 0 0 1mm; }
  header p { margin: 0; color: #444; }
  .cards { display: grid; grid-template-columns: repeat(2, 1fr); gap: 5mm; }
  .card { border: 0.4mm dashed #777; border-radius: 2mm; padding: 4mm; height: 84mm; display: flex; gap: 4mm;
          break-inside: avoid; page-break-inside: avoid; }
  .card .text { flex: 1; min-width: 0; display: flex; flex-direction: column; }
  .card h2 { font-size: 13pt; margin: 0 0 1mm; overflow-wrap: anywhere; }
  .card .role { font-weight: 600; margin: 0; }
  .card .country { margin: 0 0 2mm; }
  .card .exercise { color: #444; margin: 0 0 2mm; overflow-wrap: anywhere; }
  .card .link { margin-top: auto; font: 7.5pt/1.3 ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
  .card .qr { width: 36mm; flex: none; align-self: center; }
  .card .qr svg { width: 36mm; height: 36mm; display: block; }
  .note { margin-top: 6mm; color: #444; font-size: 9pt; }
  @media print { .note { display: none; } }
`;

async function card(exerciseTitle: string, publicUrl: string, p: ParticipantWithToken): Promise<string> {
  const link = signInLink(publicUrl, p.token);
  // Loaded on the first sheet: only this route draws QR codes, and a start need not pay for it.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const country = p.country ? countryName(p.country) : null;
  const role = labelOf('roles', p.role);
  const heading = p.name ?? (country ? `${country} NCB` : role);
  return `<section class="card">
  <div class="text">
    <h2>${esc(heading)}</h2>
    ${heading === role ? '' : `<p class="role">${esc(role)}</p>`}
    ${country ? `<p class="country">${esc(country)}</p>` : ''}
    <p class="exercise">${esc(exerciseTitle)}</p>
    <p class="link">${esc(link)}</p>
  </div>
  <div class="qr" role="img" aria-label="QR code of the sign-in link">${qr}</div>
</section>`;
}

/** The sheet as one self-contained HTML page (no script, no external resource), A4, several cards a page. */
export async function renderTokenSheet(
  exercise: Exercise,
  participants: ParticipantWithToken[],
  publicUrl: string,
): Promise<string> {
  const title = exercise.title ?? exercise.name;
  const cards = await Promise.all(participants.map((p) => card(title, publicUrl, p)));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>Sign-in cards · ${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Sign-in cards · ${esc(title)}</h1>
  <p>Exercise ${esc(exercise.name)} · ${participants.length} card(s). Each link signs its holder in; keep the cards
  as you would keys. Printing a new sheet replaces these tokens.</p>
</header>
<main class="cards">
${cards.join('\n')}
</main>
<p class="note">Print this page (A4). The tokens are not stored anywhere: close the page once it is printed.</p>
</body>
</html>
`;
}
