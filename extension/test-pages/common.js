// A helpdesk-like page: a reply form whose submit handler records what the helpdesk would send.
// Each page sets window.readEditor() to read the editor's own model (its API, not the DOM).
window.submitted = [];
document.addEventListener("submit", (event) => {
  event.preventDefault();
  window.submitted.push(window.readEditor());
});
