// Autocomplete for the search box: suggestions from /api/search, keyboard-navigable (ARIA combobox).
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) { return; }
  var active = -1, results = [], timer = null, lang = document.documentElement.lang;

  function close() {
    list.hidden = true; list.innerHTML = ""; active = -1; results = [];
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function highlight(index) {
    var items = list.querySelectorAll("li");
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0 && items[index]) { input.setAttribute("aria-activedescendant", items[index].id); }
  }
  function show(found) {
    results = found; list.innerHTML = "";
    found.forEach(function (result, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i; item.setAttribute("role", "option");
      item.textContent = result.label;
      var kind = document.createElement("small");
      var caveats = result.caveats && result.caveats.length ? " (" + result.caveats.join("; ") + ")" : "";
      kind.textContent = result.figure ? result.kind_label + ": " + result.figure + caveats : result.kind_label;
      item.appendChild(kind);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); go(i); });
      list.appendChild(item);
    });
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
    active = -1;
  }
  function go(index) { if (results[index]) { window.location.href = results[index].url; } }
  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    fetch(input.dataset.api + "?limit=8&q=" + encodeURIComponent(q) + "&lang=" + lang)
      .then(function (response) { return response.json(); })
      .then(function (body) { if (input.value.trim() === q) { show(body.results); } })
      .catch(close);
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); go(active); }
    else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
