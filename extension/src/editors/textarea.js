// <textarea> and text <input>: the browser's own editing command, so the page sees an input event and
// the browser's undo stack holds the draft.
kindreply.editorFamilies.push({
  name: "textarea",
  matches(element) {
    if (element.tagName === "TEXTAREA" && !element.readOnly && !element.disabled) return element;
    return null;
  },
  format: () => "text",
  read(root, selectionOnly) {
    if (selectionOnly && root.selectionEnd > root.selectionStart) return root.value.slice(root.selectionStart, root.selectionEnd);
    return root.value;
  },
  async write(root, rewrite, { selectionOnly }) {
    root.focus();
    if (!(selectionOnly && root.selectionEnd > root.selectionStart)) root.select();
    root.ownerDocument.execCommand("insertText", false, rewrite.text);
    return kindreply.editors.landed(root, rewrite.text);
  },
});
