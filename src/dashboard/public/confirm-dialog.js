// @ts-check
/** A question in words before a step that cannot be undone (a modal `<dialog>`, index.html's `#confirm`). */
import { $ } from './dom.js';
import { html, render } from './lit.js';

/**
 * Asks, and resolves true when the trainer confirms (false on Cancel or Escape).
 * @param {{ title: string, body: unknown, confirm: string }} question `body` is a lit template
 */
export function askToConfirm({ title, body, confirm }) {
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  return new Promise((resolve) => {
    const answer = (/** @type {boolean} */ yes) => () => {
      dialog.returnValue = yes ? 'yes' : 'no';
      dialog.close();
    };
    render(
      html`<h2 id="confirm-title">${title}</h2>
        <div class="confirm-body">${body}</div>
        <p class="buttons">
          <button type="button" id="confirm-no" @click=${answer(false)}>Cancel</button>
          <button type="button" id="confirm-yes" class="primary" @click=${answer(true)}>${confirm}</button>
        </p>`,
      dialog,
    );
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-no').focus();
  });
}
