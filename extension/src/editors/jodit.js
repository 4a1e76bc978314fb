// Jodit answers an HTML paste with a question ("Your code is similar to HTML. Keep as HTML?") and inserts
// only once the agent has chosen, which kindreply cannot wait for (and must not report as "unchanged" while
// the question is open). It has no insertion of its own for beforeinput and follows the browser's editing
// into its model and history, so for Jodit the insertion path starts after the paste event.
import { richText } from "./richtext.js";

export const jodit = {
  ...richText,
  name: "jodit",
  pasteEvent: false,

  matches(element) {
    const root = richText.matches(element);
    return root && root.classList.contains("jodit-wysiwyg") ? root : null;
  },
};
