// Zoho Desk: the reply editor is a Zoho rich-text iframe or contenteditable; customer threads are marked.
kindreply.sites.push({
  name: "Zoho Desk",
  hosts: ["^desk\\.zoho\\.(com|eu|in|com\\.au|jp)$"],
  editor: ".ze_area[contenteditable='true'], .zd-editor [contenteditable='true']",
  customerMessage: "[data-id='threadContainer'] [data-direction='in'] .zd-thread-content",
});
