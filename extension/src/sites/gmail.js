// Gmail: the compose body is a plain contenteditable div; received messages are in .a3s bodies.
kindreply.sites.push({
  name: "Gmail",
  hosts: ["^mail\\.google\\.com$"],
  editor: "div[aria-label='Message Body'][contenteditable='true'], div.editable[contenteditable='true']",
  customerMessage: "div.adn.ads div.a3s",
});
