// Zendesk Agent Workspace: the composer is CKEditor 5; customer comments are the end-user's conversation entries.
kindreply.sites.push({
  name: "Zendesk",
  hosts: ["\\.zendesk\\.com$"],
  editor: "[data-test-id='omnicomposer-rich-text-ckeditor'] .ck-editor__editable, .ck-editor__editable",
  customerMessage: "[data-test-id='omni-log-comment-item'][data-test-author-type='end-user'] [data-test-id='omni-log-message-content']",
});
