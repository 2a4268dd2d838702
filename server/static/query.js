// The query UI: YASGUI on this server's endpoint, the example queries, links to entity pages,
// and the server's own status and message when it refuses a query.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var params = new URLSearchParams(window.location.search);
  // YASGUI builds URL objects from the endpoint: it must be absolute.
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var statusBox = document.getElementById("query-status");

  function showStatus(kind, text) {
    statusBox.textContent = text;
    statusBox.className = "query-status " + kind;
    statusBox.hidden = !text;
  }

  // YASGUI reads an error answer's text but not its status: note the status of each answer
  // from the endpoint, to show both.
  var realFetch = window.fetch.bind(window);
  var lastAnswer = null;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input.url;
    return realFetch(input, init).then(function (response) {
      if (url.indexOf(endpoint) === 0) {
        lastAnswer = { status: response.status, statusText: response.statusText };
        lastAnswer.text = response.status >= 400 ? response.clone().text() : Promise.resolve("");
      }
      return response;
    });
  };

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return []; } },
    yasqe: { autocompleters: ["variables"], value: config.defaultQuery }
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
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
  yasqe.on("change", updateShare);
  updateShare();

  // Prefixed names whose prefix the query does not declare: named before the query is sent.
  function undeclaredPrefixes(text) {
    var declared = {};
    var bare = text
      .replace(/#[^\n]*/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/<[^<>"{}|^`\\\s]*>/g, " ");
    bare.replace(/\bPREFIX\s+([A-Za-z][\w.-]*)?:/gi, function (all, name) { declared[name || ""] = true; return all; });
    var used = [];
    bare.replace(/(^|[\s{}(),;\/^|!=<>+*])([A-Za-z][\w.-]*)?:(?=[\w%\\]|\s|$)/g, function (all, lead, name) {
      name = name || "";
      if (!declared[name] && used.indexOf(name) < 0 && !/^PREFIX$/i.test(name)) { used.push(name); }
      return all;
    });
    return used.filter(function (name) {
      return !new RegExp("\\bPREFIX\\s+" + name.replace(/[.-]/g, "\\$&") + ":", "i").test(bare);
    });
  }
  yasqe.on("query", function (instance, request) {
    showStatus("", "");
    lastAnswer = null;
  });
  var missing = [];
  yasqe.on("queryBefore", function () {
    lastAnswer = null;
    missing = undeclaredPrefixes(yasqe.getValue());
    showStatus("warning", missing.length ? undeclaredText() : "");
  });
  function undeclaredText() {
    return config.messages.undeclared + " " + missing.map(function (name) { return name + ":"; }).join(", ");
  }
  yasqe.on("queryResponse", function () {
    var answer = lastAnswer;
    if (!answer || answer.status < 400) { return; }
    answer.text.then(function (text) {
      // The parser's "Prefix not found" lists every character it expected: name the prefix instead.
      if (missing.length && /Prefix not found/.test(text)) {
        text = text.split(": expected")[0] + ": " + undeclaredText();
      }
      showStatus("error", answer.status + " " + answer.statusText + (text ? ": " + text : ""));
    });
  });

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
