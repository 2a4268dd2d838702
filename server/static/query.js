// The query UI: YASGUI on this server's endpoint, the example queries, links to entity pages.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var params = new URLSearchParams(window.location.search);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return []; } },
    yasqe: { autocompleters: ["variables"] }
  });
  var tab = yasgui.getTab();
  var share = document.getElementById("share");
  var select = document.getElementById("example");

  function updateShare() {
    share.href = window.location.pathname + "?query=" + encodeURIComponent(tab.getQuery());
  }
  if (params.get("query")) {
    tab.setQuery(params.get("query"));
  } else if (params.get("example")) {
    select.value = params.get("example");
  }
  select.addEventListener("change", function () {
    var chosen = config.examples.find(function (item) { return item.name === select.value; });
    if (chosen) { tab.setQuery(chosen.query); updateShare(); }
  });
  if (select.value) { select.dispatchEvent(new Event("change")); }
  tab.getYasqe().on("change", updateShare);
  updateShare();

  // Results: IRIs of this dataset open their page on this server.
  function localise(root) {
    root.querySelectorAll("a[href^='" + config.base + "']").forEach(function (link) {
      link.href = config.root + link.getAttribute("href").slice(config.base.length);
      link.removeAttribute("target");
    });
  }
  new MutationObserver(function () { localise(document.getElementById("yasgui")); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
