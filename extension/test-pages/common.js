// A helpdesk-like page: a reply form whose submit handler records what the helpdesk would send.
// Each page sets, from its editor's own API (its model, not the DOM):
//   window.readEditor()      what the helpdesk would send (HTML, or text for a textarea)
//   window.readEditorText()  the editor's text
//   window.setDraft(html)    put a draft in, as if loaded from a saved draft (history cleared where the editor allows)
// and resolves window.ready when the editor is up.
window.submitted = [];
document.addEventListener("submit", (event) => {
  event.preventDefault();
  window.submitted.push(window.readEditor());
});
window.htmlText = (html) => new DOMParser().parseFromString(html, "text/html").body.textContent;
