// Freshdesk: the reply editor is a Froala contenteditable; requester messages carry the requester class.
kindreply.sites.push({
  name: "Freshdesk",
  hosts: ["\\.freshdesk\\.com$"],
  editor: ".fr-element.fr-view[contenteditable='true'], .redactor_editor",
  customerMessage: ".conversation-pane .requester .conversation-body, [data-test-conversation='requester'] .text__content",
});
