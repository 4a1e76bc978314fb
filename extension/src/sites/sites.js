// Site adapters are data: where a helpdesk's reply editor and the customer's last message are.
// One file per helpdesk adds itself here; the generic detection covers every other site.
globalThis.kindreply = globalThis.kindreply || {};
kindreply.sites = kindreply.sites || [];
kindreply.siteFor = function siteFor(hostname) {
  return kindreply.sites.find((site) => site.hosts.some((pattern) => new RegExp(pattern).test(hostname))) || null;
};
