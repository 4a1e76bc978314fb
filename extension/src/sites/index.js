// Site adapters are data: on each helpdesk, where the customer's last message is (it goes with the draft, so
// the rewrite can acknowledge what the customer said). The reply editor itself is found by what it is (see
// editors/), on these sites and every other one.
export const SITES = [
  {
    name: "Zendesk", // Agent Workspace: the composer is CKEditor 5
    hosts: [/\.zendesk\.com$/],
    customerMessage: "[data-test-id='omni-log-comment-item'][data-test-author-type='end-user'] [data-test-id='omni-log-message-content']",
  },
  {
    name: "Freshdesk", // Froala
    hosts: [/\.freshdesk\.com$/],
    customerMessage: ".conversation-pane .requester .conversation-body, [data-test-conversation='requester'] .text__content",
  },
  {
    name: "Gmail",
    hosts: [/^mail\.google\.com$/],
    customerMessage: "div.adn.ads div.a3s",
  },
  {
    name: "Help Scout", // ProseMirror
    hosts: [/^secure\.helpscout\.net$/],
    customerMessage: "[data-cy='Thread-customer'] .thread-content, .thread.customer .thread-content",
  },
  {
    name: "Intercom", // ProseMirror
    hosts: [/^app\.intercom\.com$/],
    customerMessage: "[data-part-group-type='user'] .intercom-interblocks, .conversation__part--user .conversation__text",
  },
  {
    name: "Front", // ProseMirror
    hosts: [/^app\.frontapp\.com$/, /\.frontapp\.com$/],
    customerMessage: "[data-testid='message-inbound'] [data-testid='message-body']",
  },
  {
    name: "Zoho Desk",
    hosts: [/^desk\.zoho\.(com|eu|in|com\.au|jp)$/],
    customerMessage: "[data-id='threadContainer'] [data-direction='in'] .zd-thread-content",
  },
  {
    name: "FreeScout", // Summernote; self-hosted, so recognised by its page rather than its host
    page: "#conv-layout-main",
    customerMessage: "#conv-layout-main .thread-type-customer .thread-content",
    newestFirst: true, // FreeScout lists a conversation's newest thread first
  },
];

export function siteFor(doc) {
  const host = doc.location.hostname;
  return SITES.find((site) => (site.hosts || []).some((pattern) => pattern.test(host))
                              || (site.page && doc.querySelector(site.page))) || null;
}

// The customer's last message on this page, if the site is one we know.
export function customerMessage(doc) {
  const site = siteFor(doc);
  if (!site) return "";
  const messages = doc.querySelectorAll(site.customerMessage);
  const latest = site.newestFirst ? messages[0] : messages[messages.length - 1];
  return latest ? latest.innerText.trim() : "";
}
