// @ts-check
/**
 * "Run a training exercise", on the sign-in page: a shipped scenario or an uploaded YAML file (read in the
 * browser, sent as text), the parts the class plays ticked, then the exercise is created and the trainer is
 * signed in as its facilitator, shown once the link to come back with.
 */
import { ApiError, api } from './api.js';
import { loadCountries } from './countries.js';
import { $, messageOf } from './dom.js';
import { loadLabels } from './labels.js';
import { html, nothing, render } from './lit.js';
import { roleWords } from './people.js';
import { signIn } from './sign-in.js';
import { linkOf, showLinkOnce } from './token-link.js';

/** @typedef {{ key: string, role: string, country?: string, name?: string }} ScenarioPart */
/** @typedef {{ title: string, briefing: string, participants: ScenarioPart[], injects?: number }} ScenarioText */
/** @typedef {ScenarioText & { key: string }} Shipped */

/** The largest body the server takes for a new exercise (app.ts: 2 MB), less room for the JSON around it. */
const MAX_FILE_BYTES = 1_900_000;

const form = {
  /** @type {Shipped[]} */ scenarios: [],
  /** @type {string} the key of a shipped scenario, or '' for the uploaded file */ choice: '',
  /** @type {{ name: string, text: string, read: ScenarioText | null, problem: string | null } | null} */ file: null,
  /** @type {Set<string>} */ teams: new Set(),
  adminNeeded: false,
  busy: false,
  /** @type {unknown} */ error: nothing,
};

/** Loads the shipped scenarios and draws the form (before anyone signs in). */
export async function showRunExercise() {
  try {
    const [{ items }] = await Promise.all([api('/api/scenarios'), loadLabels(), loadCountries()]);
    form.scenarios = items;
    form.choice = items[0]?.key ?? '';
  } catch (error) {
    form.error = html`Could not load the scenarios: ${messageOf(error)}`;
  }
  draw();
}

/** The scenario chosen, as far as the browser could read it. */
function chosen() {
  if (form.choice) return form.scenarios.find((s) => s.key === form.choice) ?? null;
  return form.file?.read ?? null;
}

function choose(/** @type {string} */ key) {
  form.choice = key;
  form.teams = new Set();
  form.error = nothing;
  draw();
}

/** Reads the uploaded file here, to show its title and parts; the server is still the judge of it. */
async function upload(/** @type {Event} */ e) {
  const file = /** @type {HTMLInputElement} */ (e.target).files?.[0];
  form.choice = '';
  form.teams = new Set();
  form.error = nothing;
  if (!file) {
    form.file = null;
  } else if (file.size > MAX_FILE_BYTES) {
    form.file = {
      name: file.name,
      text: '',
      read: null,
      problem: 'This file is too large for a scenario (2 MB at most).',
    };
  } else {
    const text = await file.text();
    form.file = { name: file.name, text, ...(await readScenario(text)) };
  }
  draw();
}

/** The title, briefing and parts of a scenario file, or why they could not be read. */
async function readScenario(/** @type {string} */ text) {
  try {
    const YAML = await import('/assets/vendor/yaml/index.js');
    const doc = YAML.parse(text);
    const parts = Array.isArray(doc?.participants) ? doc.participants : [];
    /** @type {ScenarioPart[]} */
    const participants = parts
      .filter((/** @type {any} */ p) => p && typeof p.key === 'string' && typeof p.role === 'string')
      .map((/** @type {any} */ p) => ({ key: p.key, role: p.role, country: p.country, name: p.name }));
    if (typeof doc?.title !== 'string' || participants.length === 0) {
      return { read: null, problem: 'This file does not look like a scenario (no title or no participants).' };
    }
    return {
      read: { title: doc.title, briefing: String(doc.briefing ?? ''), participants, injects: doc.injects?.length },
      problem: null,
    };
  } catch (error) {
    return { read: null, problem: `This file could not be read as YAML: ${messageOf(error)}` };
  }
}

function tick(/** @type {string} */ key, /** @type {Event} */ e) {
  if (/** @type {HTMLInputElement} */ (e.target).checked) form.teams.add(key);
  else form.teams.delete(key);
}

/** The API's refusal in words: each problem it names, with where in the file as small secondary text. */
function problemsOf(/** @type {unknown} */ error) {
  if (!(error instanceof ApiError)) return html`${messageOf(error)}`;
  if (error.status === 401) {
    return html`This server asks for its administrator token to create an exercise: enter it below.`;
  }
  const details = Array.isArray(error.details) ? error.details : [];
  if (error.status !== 400 || details.length === 0) return html`${error.message}`;
  return html`The scenario was refused:
    <ul>
      ${details.map(
        (/** @type {{ field?: string, message?: string }} */ d) =>
          html`<li>${d.message}${d.field ? html` <small class="code">${d.field}</small>` : nothing}</li>`,
      )}
    </ul>`;
}

async function create(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  if (form.busy) return;
  form.busy = true;
  form.error = nothing;
  draw();
  try {
    const scenario = form.choice ? await api(`/api/scenarios/${form.choice}`, { text: true }) : form.file?.text;
    if (!scenario) throw new Error('Choose a scenario, or a scenario file of your own.');
    const admin = /** @type {HTMLInputElement | null} */ ($('admin-token'))?.value.trim();
    const created = await api('/api/exercises', {
      method: 'POST',
      body: JSON.stringify({ scenario, teams: [...form.teams] }),
      once: 'create-exercise',
      ...(admin && { headers: { authorization: `Bearer ${admin}` } }),
    });
    await signIn(created.facilitatorToken, { home: true });
    showLinkOnce({
      title: 'Keep this link to come back as facilitator',
      link: linkOf(created.facilitatorToken),
      advice:
        'It is shown only this once: copy it somewhere safe now. A team that loses its link can be given a new ' +
        'one from the console, but a lost facilitator link cannot be replaced.',
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) form.adminNeeded = true;
    form.error = problemsOf(error);
  } finally {
    form.busy = false;
    draw();
  }
}

const shippedChoice = (/** @type {Shipped} */ s) =>
  html`<label class="choice">
    <input
      type="radio"
      name="scenario"
      value=${s.key}
      .checked=${form.choice === s.key}
      @change=${() => choose(s.key)}
    />
    ${s.title}
  </label>`;

function partsOf(/** @type {ScenarioText} */ scenario) {
  return html`<fieldset class="teams">
    <legend>Which parts do your teams play?</legend>
    <p class="note">
      Tick each part played by a team of trainees. The script's injects for a ticked part are skipped: the team acts
      instead. Parts left unticked are played by the script.
    </p>
    ${scenario.participants.map(
      (p) =>
        html`<label class="choice">
          <input
            type="checkbox"
            name="team"
            value=${p.key}
            .checked=${form.teams.has(p.key)}
            @change=${(/** @type {Event} */ e) => tick(p.key, e)}
          />
          ${p.name ?? roleWords(p)} <span class="note">${p.name ? roleWords(p) : nothing}</span>
          <small class="code">${p.key}</small>
        </label>`,
    )}
  </fieldset>`;
}

function draw() {
  const scenario = chosen();
  render(
    html`<form id="create-form" @submit=${create}>
      <fieldset>
        <legend>Scenario</legend>
        ${form.scenarios.map(shippedChoice)}
        <label class="choice">
          <input type="radio" name="scenario" value="" .checked=${form.choice === ''} @change=${() => choose('')} />
          A scenario file of my own (YAML)
        </label>
        ${
          form.choice === ''
            ? html`<input id="scenario-file" type="file" accept=".yaml,.yml,.json,text/yaml" @change=${upload} />
                ${form.file?.problem ? html`<p class="error">${form.file.problem}</p>` : nothing}`
            : nothing
        }
      </fieldset>
      ${
        scenario
          ? html`<article class="briefing" id="create-briefing">
                <h4>${scenario.title}</h4>
                <p class="pre">${scenario.briefing}</p>
                ${
                  scenario.injects !== undefined
                    ? html`<p class="note">${scenario.injects} scripted injects</p>`
                    : nothing
                }
              </article>
              ${partsOf(scenario)}`
          : nothing
      }
      ${
        form.adminNeeded
          ? html`<p>
              <label for="admin-token">Administrator token of this server</label>
              <input id="admin-token" type="password" autocomplete="off" spellcheck="false" />
            </p>`
          : nothing
      }
      <button type="submit" class="primary" ?disabled=${form.busy || (!form.choice && !form.file?.text)}>
        ${form.busy ? 'Creating…' : 'Create the exercise'}
      </button>
      <div id="create-error" class="error" role="alert">${form.error}</div>
    </form>`,
    $('run-exercise-form'),
  );
}
