// @ts-check
/**
 * The console's participants (facilitator only): who takes part, whether their link still works, a form to add
 * one with a name, a new token for a lost link, and the token sheet for all the teams or the ticked ones.
 */
import { ApiError, api } from './api.js';
import { askToConfirm } from './confirm-dialog.js';
import { countryList, countryName, loadCountries } from './countries.js';
import { $, messageOf } from './dom.js';
import { fieldLabel, label } from './labels.js';
import { html, nothing, render } from './lit.js';
import { partName } from './people.js';
import { printSheet } from './print-sheet.js';
import { me } from './state.js';
import { linkOf, showLinkOnce } from './token-link.js';

/**
 * @typedef {{ id: string, role: string, country?: string, name?: string, key?: string, createdAt: string,
 *   revokedAt: string | null }} Participant
 */

/** The roles a facilitator may add (the API's PARTICIPANT_ROLES). */
const ADDABLE = ['ncb', 'gs', 'ccf', 'observer'];

const view = {
  /** @type {Participant[]} */ items: [],
  /** @type {Set<string>} */ ticked: new Set(),
  /** What this page did to each one's link since it opened (the API does not say). @type {Map<string, string>} */
  news: new Map(),
  addRole: 'ncb',
  /** @type {unknown} */ error: nothing,
  /** @type {unknown} */ addError: nothing,
};

/** Whose link a sheet or a re-issue may renew: live participants other than the facilitator signed in. */
const renewable = (/** @type {Participant} */ p) => !p.revokedAt && p.id !== me().participantId;

export async function refreshParticipants() {
  try {
    await loadCountries();
    view.items = (await api(`/api/exercises/${me().exercise.id}/participants`)).items;
    const live = new Set(view.items.filter(renewable).map((p) => p.id));
    view.ticked = new Set([...view.ticked].filter((id) => live.has(id)));
  } catch (error) {
    view.error = html`Could not load the participants: ${messageOf(error)}`;
  }
  draw();
}

/** Runs a step, shows its failure in words, and redraws the list either way. */
async function step(/** @type {() => Promise<void>} */ work) {
  view.error = nothing;
  try {
    await work();
  } catch (error) {
    view.error = messageOf(error);
  }
  await refreshParticipants();
}

async function reissue(/** @type {Participant} */ p) {
  const who = partName(p);
  const yes = await askToConfirm({
    title: `Issue a new token for ${who}?`,
    body: html`<p>
      The link ${who} has now stops working at once. The new link is shown to you only once: hand it over, or print it
      on a token sheet later (which issues yet another).
    </p>`,
    confirm: 'Issue a new token',
  });
  if (!yes) return;
  await step(async () => {
    const issued = await api(`/api/exercises/${me().exercise.id}/participants/${p.id}/token`, { method: 'POST' });
    view.news.set(p.id, 'New link issued: the old one no longer works');
    showLinkOnce({
      title: `New sign-in link for ${who}`,
      link: linkOf(issued.token),
      advice: 'It is shown only this once. The earlier link of this participant no longer works.',
    });
  });
}

async function print() {
  const ids = [...view.ticked];
  const whose =
    ids.length > 0 ? `the ${ids.length} ticked participants` : 'every participant but you (teams and observers)';
  const yes = await askToConfirm({
    title: 'Print a token sheet?',
    body: html`<p>
      A sheet carries new sign-in links for ${whose}: the links they have now stop working, so hand the new cards out to
      everyone on it. Your own facilitator link is not on it and keeps working.
    </p>`,
    confirm: 'Issue new links and print',
  });
  if (!yes) return;
  await step(async () => {
    await printSheet(ids);
    const on = ids.length > 0 ? ids : view.items.filter(renewable).map((p) => p.id);
    for (const id of on) view.news.set(id, 'Printed on the token sheet');
    view.ticked.clear();
  });
}

/** The API's refusal of a new participant, field by field in words. */
function addProblems(/** @type {unknown} */ error) {
  const details = error instanceof ApiError && Array.isArray(error.details) ? error.details : [];
  if (details.length === 0) return messageOf(error);
  return details.map(
    (/** @type {{ field?: string, message?: string }} */ d) =>
      html`<div>${fieldLabel((d.field ?? '').replace(/^body\./, ''))}: ${d.message}</div>`,
  );
}

async function add(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const formEl = /** @type {HTMLFormElement} */ (e.target);
  const data = new FormData(formEl);
  const role = String(data.get('role'));
  const name = String(data.get('name') ?? '').trim();
  const body = { role, ...(role === 'ncb' && { country: String(data.get('country')) }), ...(name && { name }) };
  view.addError = nothing;
  try {
    const added = await api(`/api/exercises/${me().exercise.id}/participants`, {
      method: 'POST',
      body: JSON.stringify(body),
      once: 'add-participant',
    });
    formEl.reset();
    view.addRole = 'ncb';
    view.news.set(added.id, 'Added: link shown once');
    showLinkOnce({
      title: `Sign-in link for ${partName(added)}`,
      link: linkOf(added.token),
      advice: 'It is shown only this once: hand it over now, or print a token sheet for this participant later.',
    });
  } catch (error) {
    view.addError = addProblems(error);
  }
  await refreshParticipants();
}

function row(/** @type {Participant} */ p) {
  const tick = (/** @type {Event} */ e) => {
    if (/** @type {HTMLInputElement} */ (e.target).checked) view.ticked.add(p.id);
    else view.ticked.delete(p.id);
    draw();
  };
  const status = p.revokedAt
    ? 'Revoked: its link no longer works'
    : (view.news.get(p.id) ?? (p.id === me().participantId ? 'You, signed in' : 'Link issued'));
  return html`<tr data-participant=${p.id} class=${p.revokedAt ? 'revoked' : nothing}>
    <td>
      ${
        renewable(p)
          ? html`<input
              type="checkbox"
              aria-label="Tick ${partName(p)}"
              .checked=${view.ticked.has(p.id)}
              @change=${tick}
            />`
          : nothing
      }
    </td>
    <td>${partName(p)}</td>
    <td>${label('roles', p.role)}</td>
    <td>${p.country ? countryName(p.country) : ''}</td>
    <td class="status">${status}</td>
    <td>
      ${
        renewable(p)
          ? html`<button type="button" class="reissue" @click=${() => reissue(p)}>Issue a new token</button>`
          : nothing
      }
    </td>
  </tr>`;
}

function addForm() {
  const roleChanged = (/** @type {Event} */ e) => {
    view.addRole = /** @type {HTMLSelectElement} */ (e.target).value;
    draw();
  };
  return html`<form id="add-participant" class="inline" @submit=${add}>
    <label for="add-role">Role</label>
    <select id="add-role" name="role" @change=${roleChanged}>
      ${ADDABLE.map((r) => html`<option value=${r} ?selected=${view.addRole === r}>${label('roles', r)}</option>`)}
    </select>
    ${
      view.addRole === 'ncb'
        ? html`<label for="add-country">Country</label>
            <select id="add-country" name="country" required>
              <option value="">Choose…</option>
              ${countryList().map(([code, name]) => html`<option value=${code}>${name}</option>`)}
            </select>`
        : nothing
    }
    <label for="add-name">Name</label>
    <input id="add-name" name="name" maxlength="100" placeholder="e.g. Instructor Dupont" />
    <button type="submit">Add the participant</button>
    <div id="add-error" class="error" role="alert">${view.addError}</div>
  </form>`;
}

function draw() {
  const ticked = view.ticked.size;
  render(
    html`<table>
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">Ticked for the sheet</span></th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Country</th>
            <th scope="col">Sign-in link</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          ${view.items.map(row)}
        </tbody>
      </table>
      <p class="buttons">
        <button type="button" id="print-sheet" @click=${print}>
          ${ticked > 0 ? `Print token sheet (${ticked} ticked)` : 'Print token sheet (all teams)'}
        </button>
        <span class="note">Tick participants to print cards for them only.</span>
      </p>
      <p id="participants-error" class="error" role="alert">${view.error}</p>
      <h4>Add a participant</h4>
      ${addForm()}`,
    $('console-participants'),
  );
}
