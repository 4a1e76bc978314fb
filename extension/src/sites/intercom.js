// Intercom Inbox: the composer is a ProseMirror contenteditable; user parts are the customer's messages.
kindreply.sites.push({
  name: "Intercom",
  hosts: ["^app\\.intercom\\.com$"],
  editor: ".inbox__conversation-composer .ProseMirror, [data-testid='composer'] [contenteditable='true']",
  customerMessage: "[data-part-group-type='user'] .intercom-interblocks, .conversation__part--user .conversation__text",
});
