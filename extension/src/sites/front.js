// Front: the reply composer is a contenteditable (ProseMirror in recent versions); inbound messages are marked.
kindreply.sites.push({
  name: "Front",
  hosts: ["^app\\.frontapp\\.com$", "\\.frontapp\\.com$"],
  editor: "[data-testid='composer-editor'] [contenteditable='true'], .ProseMirror",
  customerMessage: "[data-testid='message-inbound'] [data-testid='message-body']",
});
