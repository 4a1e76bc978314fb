// Help Scout: the reply editor is a ProseMirror (Tiptap) contenteditable; customer threads are marked.
kindreply.sites.push({
  name: "Help Scout",
  hosts: ["^secure\\.helpscout\\.net$"],
  editor: ".ProseMirror[contenteditable='true'], .redactor-editor",
  customerMessage: "[data-cy='Thread-customer'] .thread-content, .thread.customer .thread-content",
});
