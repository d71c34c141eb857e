// @ts-check
/** The member countries' names (`GET /api/countries`), loaded once: people read "France", not "FR". */

/** @type {Promise<Map<string, string>> | null} */
let names = null;
/** @type {Map<string, string>} */
let known = new Map();

/** Code → name of every member country, sorted by name. */
export function loadCountries() {
  names ??= fetch('/api/countries')
    .then((res) => {
      if (!res.ok) throw new Error(`countries: ${res.status}`);
      return res.json();
    })
    .then(
      (/** @type {{ items: { code: string, name: string }[] }} */ body) =>
        (known = new Map(body.items.sort((a, b) => a.name.localeCompare(b.name)).map((c) => [c.code, c.name]))),
    )
    .catch((error) => {
      names = null;
      throw error;
    });
  return names;
}

/** A country's name once the list is loaded (its code until then, or for a code not on the list). */
export const countryName = (/** @type {string} */ code) => known.get(code) ?? code;

/** Every member country as [code, name], by name (empty until loaded). */
export const countryList = () => [...known];
