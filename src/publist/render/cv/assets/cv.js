(function () {
  "use strict";
  var fold = function (s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var status = document.getElementById("status");
  var filter = document.getElementById("filter");
  filter.addEventListener("input", function () {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (li) {
      var text = fold(li.getAttribute("data-search"));
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    document.querySelectorAll("section.group").forEach(function (section) {
      section.hidden = !section.querySelector("li.entry:not([hidden])");
    });
    status.textContent = words.length ? shown + " of " + entries.length + " shown" : "";
  });
  entries.forEach(function (li) {
    var toggle = li.querySelector("button.toggle");
    var abstract = li.querySelector(".abstract");
    if (toggle && abstract) {
      toggle.addEventListener("click", function () {
        abstract.hidden = !abstract.hidden;
        toggle.setAttribute("aria-expanded", String(!abstract.hidden));
      });
    }
    var copy = li.querySelector("button.copy");
    var bibtex = li.querySelector("textarea.bibtex");
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(bibtex.value).then(done, function () {
          fallback(); done();
        });
      } else { fallback(); done(); }
      function fallback() {
        bibtex.hidden = false; bibtex.select(); document.execCommand("copy"); bibtex.hidden = true;
      }
    });
  });
})();
