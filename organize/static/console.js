// Organizer console: a live segment counter while composing, and progress polling while
// sending. The pages work without it (server-side estimate, meta refresh).
(function () {
  "use strict";
  var script = document.currentScript;
  var segmentsUrl = script && script.getAttribute("data-segments-url");
  if (segmentsUrl) {
    var smart = document.getElementById("smart_encoding");
    document.querySelectorAll("textarea[data-segments]").forEach(function (area) {
      var out = document.getElementById("seg-" + area.getAttribute("data-segments"));
      var timer = null;
      function update() {
        var url = segmentsUrl + "?text=" + encodeURIComponent(area.value) +
          (smart && smart.checked ? "&smart=1" : "");
        fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
          .then(function (d) {
            out.textContent = d.characters + " · " + d.encoding + " · " + d.segments + " × $" + d.cost;
          });
      }
      area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 300); });
      if (area.value) { update(); }
    });
  }
  // Moderation: a selection in a review's text fills its "words to mask" field.
  document.querySelectorAll("[data-maskable]").forEach(function (text) {
    var field = document.getElementById("phrase-" + text.getAttribute("data-maskable"));
    if (!field) { return; }
    var fill = function () {
      var chosen = String(window.getSelection()).trim();
      if (chosen.length >= 2) { field.value = chosen.slice(0, 200); }
    };
    text.addEventListener("mouseup", fill);
    text.addEventListener("keyup", fill);
  });
  var progress = document.getElementById("progress");
  if (progress) {
    var bar = document.getElementById("progress-bar");
    var text = document.getElementById("progress-text");
    var poll = function () {
      fetch(progress.getAttribute("data-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          bar.max = d.total || 1; bar.value = d.done; text.textContent = d.done + " / " + d.total;
          if (d.status === "sending" || d.status === "scheduled") { setTimeout(poll, 3000); }
        });
    };
    setTimeout(poll, 3000);
  }
})();
