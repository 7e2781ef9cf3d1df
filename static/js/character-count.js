// Character count for a message with a limit (data-character-limit): it appears once three
// quarters of the limit are used and says how many characters are left, or how many too
// many. Nothing is ever cut: the server refuses an over-long message in our own words, so
// without JavaScript the form still works. The visible count changes as the visitor types;
// screen readers hear it (aria-live polite) only once typing pauses, not at every key.
(function () {
  "use strict";
  var THRESHOLD = 0.75;
  var PAUSE_MS = 1000;

  // The words come translated from the page, in the message box's data-count-left(-one)
  // and data-count-over(-one) attributes ("You have {count} characters left").
  function describe(field, left) {
    var kind = left >= 0 ? "left" : "over";
    var n = Math.abs(left);
    var words = field.getAttribute("data-count-" + kind + (n === 1 ? "-one" : "")) || "";
    // Numbers as written in the US, in the page's language: "1,000" in both.
    var lang = (document.documentElement.lang || "en").split("-")[0];
    return words.replace("{count}", n.toLocaleString(lang + "-US"));
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-character-limit"), 10);
    if (!limit) return;
    var shown = document.createElement("p");
    shown.className = "character-count";
    shown.id = field.id + "-count";
    shown.setAttribute("aria-hidden", "true");
    shown.hidden = true;
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", shown);
    var timer = null;

    function update() {
      var length = field.value.length;
      var near = length >= limit * THRESHOLD;
      var text = near ? describe(field, limit - length) : "";
      shown.hidden = !near;
      shown.textContent = text;
      shown.classList.toggle("character-count--over", length > limit);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = text; }, PAUSE_MS);
    }

    field.addEventListener("input", update);
    update();
  }

  var fields = document.querySelectorAll("textarea[data-character-limit]");
  for (var i = 0; i < fields.length; i++) attach(fields[i]);
})();
