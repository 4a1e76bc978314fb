// <textarea>: the text is its value and a selection is two offsets. Everything else (the paste, the
// browser's insertText command that keeps native undo, the check) is the common path in insert.js.
export const textarea = {
  name: "textarea",
  format: "text",
  insertCommand: "insertText",

  matches(element) {
    return element.tagName === "TEXTAREA" && !element.readOnly && !element.disabled ? element : null;
  },

  text: (root) => root.value,

  // The draft: the whole value, or the part the agent selected, with what stands before and after it.
  capture(root, selectionOnly) {
    const { value, selectionStart: start, selectionEnd: end } = root;
    if (!(selectionOnly && end > start)) return { whole: true, text: value, html: "", prefix: "", suffix: "", start: 0, end: value.length };
    return { whole: false, text: value.slice(start, end), html: "", prefix: value.slice(0, start), suffix: value.slice(end), start, end };
  },

  select(root, part) {
    if (part.whole) root.select();
    else root.setSelectionRange(part.prefix.length, root.value.length - part.suffix.length);
  },

  selectedText: (root) => root.value.slice(root.selectionStart, root.selectionEnd),

  eventTarget: (root) => root,
};
