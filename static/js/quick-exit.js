// Quick exit: the link works without JavaScript; this adds the Shift x3 shortcut and
// replaces the current history entry so Back does not return straight to this page.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) return;
  var target = link.getAttribute("href");
  // The explanation names the shortcut, so it is shown only where the shortcut works.
  var help = document.getElementById("quick-exit-help");
  if (help) help.hidden = false;
  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.display = "none";
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  // Three Shift presses in a row, with no other key between them: typing capital letters
  // (Shift held with a letter) never counts.
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") presses = [];
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
