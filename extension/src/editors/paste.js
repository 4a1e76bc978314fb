// Rich editors that own their document model (ProseMirror/Tiptap, CKEditor 5, Quill, TinyMCE): they ignore
// DOM edits made behind their back, but every one of them handles a paste. A synthetic paste event with
// text/plain and text/html goes through the editor's own clipboard pipeline, so its model, its change
// events and its undo stack all see the rewrite.
const PASTE_EDITORS = [
  { name: "ckeditor5", selector: ".ck-editor__editable" },
  { name: "prosemirror", selector: ".ProseMirror" },
  { name: "quill", selector: ".ql-editor" },
  { name: "tinymce", selector: "body#tinymce, body.mce-content-body" },
  { name: "draftjs", selector: ".public-DraftEditor-content" },
  { name: "slate", selector: "[data-slate-editor]" },
];

for (const editor of PASTE_EDITORS) {
  kindreply.editorFamilies.push({
    name: editor.name,
    matches(element) {
      const root = element.closest && element.closest(editor.selector);
      return root && root.isContentEditable ? root : null;
    },
    format: () => "html",
    read: (root, selectionOnly) => kindreply.editors.readHtml(root, selectionOnly),
    async write(root, rewrite, { selectionOnly }) {
      root.focus();
      kindreply.editors.selectContents(root, selectionOnly);
      const data = new DataTransfer();
      data.setData("text/plain", rewrite.text);
      data.setData("text/html", rewrite.html);
      root.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      await kindreply.editors.nextFrame();
      return kindreply.editors.landed(root, rewrite.text);
    },
  });
}
