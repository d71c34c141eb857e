// @ts-check
/**
 * A form drawn from a JSON Schema (as the API generates it from its own zod schema), and the value it
 * holds read back in the same shape: objects become fieldsets, long texts (by `maxLength`) textareas,
 * dates date inputs, numbers number inputs, enums selects with the catalogue's words, booleans
 * checkboxes, and country codes pickers that show names. Every field is named by its dotted path
 * (`offence.warrant.reference`), as the API's errors and compliance checks name it, and labelled from
 * the catalogue (`fieldLabel`), with the schema's description as hint text.
 */
import { fieldLabel, label } from './labels.js';
import { html, nothing } from './lit.js';

/**
 * @typedef {{ type?: string, const?: unknown, enum?: string[], properties?: Record<string, JsonSchema>,
 *   items?: JsonSchema, $ref?: string, $defs?: Record<string, JsonSchema>, format?: string, maxLength?: number,
 *   minimum?: number, maximum?: number, description?: string }} JsonSchema
 */
/**
 * What a drawing shows besides the fields: the value to fill them with, country names by code, the
 * API's error per field, and the compliance checks that find each field missing.
 * @typedef {{ value: Record<string, any>, countries: { get(code: string): string | undefined },
 *   errors: Map<string, string>,
 *   missing: Map<string, string[]> }} FormState
 */
/** @typedef {FormState & { root: JsonSchema }} Drawing */

/** Texts longer than this are written in a textarea. */
const LONG_TEXT = 500;

/** Catalogue kinds an enum's values may be the codes of; the one that names them all labels the options. */
const ENUM_KINDS = /** @type {const} */ (['sexes', 'offenceBases', 'offenceCategories', 'noticeTypes']);

/** The element id of the field at `path`. */
export const fieldId = (/** @type {string} */ path) => `rf-${path.replaceAll('.', '-')}`;

/** The schema a `$ref` points at (in the root's `$defs`), with the definition's name. */
function resolve(/** @type {JsonSchema} */ root, /** @type {JsonSchema} */ node) {
  let name = '';
  let schema = node;
  while (schema.$ref) {
    name = schema.$ref.replace('#/$defs/', '');
    schema = root.$defs?.[name] ?? {};
  }
  return { schema, name };
}

/** Country codes are the definitions named for them (`MemberCountry`, `IsoCountry`). */
const isCountry = (/** @type {string} */ name) => name.endsWith('Country');

/** The words for an enum's value: a country's name, or the catalogue's label of its kind. */
function optionWords(/** @type {string[]} */ values, /** @type {boolean} */ country, /** @type {Drawing} */ st) {
  if (country) return (/** @type {string} */ code) => st.countries.get(code) ?? code;
  const kind = ENUM_KINDS.find((k) => values.every((v) => label(k, v) !== v));
  return (/** @type {string} */ code) => (kind ? label(kind, code) : code);
}

/** A select's options, sorted by their words when they are countries (codes would sort by code). */
function options(/** @type {string[]} */ values, /** @type {boolean} */ country, /** @type {Drawing} */ st) {
  const words = optionWords(values, country, st);
  const listed = values.map((v) => ({ v, w: words(v) }));
  if (country) listed.sort((a, b) => a.w.localeCompare(b.w));
  return listed;
}

/** The choices made in a multiple select, in words (Ctrl or Cmd and a click chooses more than one). */
const chosenWords = (/** @type {string[]} */ codes, /** @type {Map<string, string>} */ words) =>
  codes.length
    ? `Chosen: ${codes.map((c) => words.get(c) ?? c).join(', ')}`
    : 'None chosen (Ctrl or Cmd and a click chooses more than one)';

/** The control of one leaf field, bound to its value. */
function control(
  /** @type {string} */ path,
  /** @type {JsonSchema} */ schema,
  /** @type {string} */ defName,
  /** @type {unknown} */ value,
  /** @type {Drawing} */ st,
  /** @type {string} */ describedBy,
) {
  const id = fieldId(path);
  const invalid = st.errors.has(path) ? 'true' : 'false';
  if (schema.type === 'array') {
    const item = resolve(st.root, schema.items ?? {});
    const chosen = /** @type {string[]} */ (Array.isArray(value) ? value : []);
    const listed = options(item.schema.enum ?? [], isCountry(item.name), st);
    const words = new Map(listed.map(({ v, w }) => [v, w]));
    // What is chosen in a long list is out of sight: it is said below it, as it changes (a property binding,
    // so the text set here is no part lit-html keeps).
    const say = (/** @type {Event} */ e) => {
      const select = /** @type {HTMLSelectElement} */ (e.currentTarget);
      const out = select.parentElement?.querySelector('output');
      if (out)
        out.textContent = chosenWords(
          [...select.selectedOptions].map((o) => o.value),
          words,
        );
    };
    return html`<select
        id=${id}
        name=${path}
        multiple
        size="6"
        aria-invalid=${invalid}
        aria-describedby=${`${describedBy} ${id}-chosen`}
        @change=${say}
      >
        ${listed.map(({ v, w }) => html`<option value=${v} ?selected=${chosen.includes(v)}>${w}</option>`)}
      </select>
      <output id=${`${id}-chosen`} class="hint" .textContent=${chosenWords(chosen, words)}></output>`;
  }
  if (schema.enum) {
    return html`<select id=${id} name=${path} aria-invalid=${invalid} aria-describedby=${describedBy}>
      <option value="" ?selected=${value === undefined}>—</option>
      ${options(schema.enum, isCountry(defName), st).map(
        ({ v, w }) => html`<option value=${v} ?selected=${value === v}>${w}</option>`,
      )}
    </select>`;
  }
  if (schema.type === 'boolean') {
    return html`<input
      type="checkbox"
      id=${id}
      name=${path}
      .checked=${value === true}
      aria-describedby=${describedBy}
    />`;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return html`<input
      type="number"
      id=${id}
      name=${path}
      step=${schema.type === 'integer' ? '1' : 'any'}
      min=${schema.minimum ?? nothing}
      max=${schema.maximum ?? nothing}
      .value=${value === undefined ? '' : String(value)}
      aria-invalid=${invalid}
      aria-describedby=${describedBy}
    />`;
  }
  const text = typeof value === 'string' ? value : '';
  if (schema.format === 'date') {
    return html`<input
      type="date"
      id=${id}
      name=${path}
      .value=${text}
      aria-invalid=${invalid}
      aria-describedby=${describedBy}
    />`;
  }
  if ((schema.maxLength ?? 0) > LONG_TEXT) {
    return html`<textarea
      id=${id}
      name=${path}
      rows="3"
      maxlength=${schema.maxLength ?? nothing}
      .value=${text}
      aria-invalid=${invalid}
      aria-describedby=${describedBy}
    ></textarea>`;
  }
  return html`<input
    type="text"
    id=${id}
    name=${path}
    maxlength=${schema.maxLength ?? nothing}
    .value=${text}
    aria-invalid=${invalid}
    aria-describedby=${describedBy}
  />`;
}

/** A description worth showing: the rules every free text shares are not repeated under each field. */
const hintOf = (/** @type {JsonSchema} */ schema) =>
  (schema.description ?? '').replace(/^Free text: .*$/, '').replace(/;? ?must not be empty or only white space.*$/, '');

/** One field: its label, control, hint, the API's error about it, and the checks that find it missing. */
function leaf(
  /** @type {string} */ path,
  /** @type {JsonSchema} */ schema,
  /** @type {string} */ defName,
  /** @type {unknown} */ value,
  /** @type {Drawing} */ st,
) {
  const id = fieldId(path);
  const hint = hintOf(schema) || hintOf(st.root.$defs?.[defName] ?? {});
  const error = st.errors.get(path);
  const missing = st.missing.get(path) ?? [];
  const notes = [hint && `${id}-hint`, error && `${id}-error`, missing.length && `${id}-missing`].filter(Boolean);
  const classes = [
    'field',
    schema.type === 'boolean' ? 'check' : '',
    error ? 'invalid' : '',
    missing.length ? 'missing' : '',
  ];
  const words = fieldLabel(path);
  return html`<div class=${classes.filter(Boolean).join(' ')} data-path=${path}>
    ${
      schema.type === 'boolean'
        ? html`<label>${control(path, schema, defName, value, st, notes.join(' '))}${` ${words}`}</label>`
        : html`<label for=${id}>${words}</label>${control(path, schema, defName, value, st, notes.join(' '))}`
    }
    ${hint ? html`<small class="hint" id=${`${id}-hint`}>${hint}</small>` : nothing}
    ${error ? html`<p class="field-error error" id=${`${id}-error`}>${error}</p>` : nothing}
    ${
      missing.length
        ? html`<p class="field-missing" id=${`${id}-missing`}>
            ${`Needed for: ${missing.map((c) => label('checks', c)).join('; ')}`}
          </p>`
        : nothing
    }
  </div>`;
}

/**
 * The fields of an object schema; nested objects are fieldsets, a constant (the request's `type`) is no
 * field at all (it is put back by `readForm`).
 * @param {JsonSchema} schema @param {string} prefix @param {Record<string, any>} value @param {Drawing} st
 * @returns {unknown[]}
 */
function fields(schema, prefix, value, st) {
  return Object.entries(schema.properties ?? {}).map(([key, node]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const { schema: child, name } = resolve(st.root, node);
    if (child.const !== undefined) return nothing;
    const inner = value?.[key];
    if (child.type === 'object') {
      return html`<fieldset data-path=${path}>
        <legend>${fieldLabel(path)}</legend>
        ${fields(child, path, inner ?? {}, st)}
      </fieldset>`;
    }
    return leaf(path, { ...node, ...child }, name, inner, st);
  });
}

/** The names of the root object's fields (the root itself may be a `$ref`). */
export const rootFields = (/** @type {JsonSchema} */ root) => Object.keys(resolve(root, root).schema.properties ?? {});

/** The form's fields for the root schema, filled with `st.value`. */
export function schemaFields(/** @type {JsonSchema} */ root, /** @type {FormState} */ st) {
  return fields(resolve(root, root).schema, '', st.value, { ...st, root });
}

/**
 * The value the form holds, shaped as the schema: empty fields and objects left out (so an incomplete
 * request stays a draft), constants put back, texts trimmed, numbers as numbers.
 * @param {HTMLFormElement} form @param {JsonSchema} root
 * @returns {Record<string, unknown>}
 */
export function readForm(form, root) {
  /** @returns {Record<string, unknown>} */
  const read = (/** @type {JsonSchema} */ schema, /** @type {string} */ prefix) => {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [key, node] of Object.entries(schema.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const { schema: child } = resolve(root, node);
      if (child.const !== undefined) {
        out[key] = child.const;
        continue;
      }
      if (child.type === 'object') {
        const inner = read(child, path);
        if (Object.keys(inner).length) out[key] = inner;
        continue;
      }
      const element = form.querySelector(`#${CSS.escape(fieldId(path))}`);
      const v = leafValue(element);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
  return read(resolve(root, root).schema, '');
}

/** What one control holds, or undefined when it is left empty. */
function leafValue(/** @type {Element | null} */ element) {
  if (element instanceof HTMLSelectElement) {
    if (element.multiple) {
      const chosen = [...element.selectedOptions].map((o) => o.value);
      return chosen.length ? chosen : undefined;
    }
    return element.value || undefined;
  }
  if (element instanceof HTMLInputElement && element.type === 'checkbox') return element.checked || undefined;
  if (element instanceof HTMLInputElement && element.type === 'number') {
    return element.value === '' || Number.isNaN(element.valueAsNumber) ? undefined : element.valueAsNumber;
  }
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    return element.value.trim() || undefined;
  }
  return undefined;
}
