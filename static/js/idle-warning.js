// Staff pages: a few minutes before the idle limit signs the person out, say so and offer
// "Stay signed in", which calls the keep-alive address (each staff request restarts the
// server's idle clock). Typing counts too, at most one call per 5 minutes, so a long note
// typed during a call keeps the session without a request per key. Every tab resets its
// clock when another tab keeps the session alive (localStorage's storage event). Loaded by
// templates/admin/base_site.html with its settings as data attributes (intake_unsaved tags).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof HTMLDialogElement !== "function") return;
  var idleMs = Number(script.dataset.idleSeconds) * 1000;
  var warnMs = Number(script.dataset.warnSeconds) * 1000;
  var url = script.dataset.keepAliveUrl;
  var token = script.dataset.csrfToken;
  if (!(idleMs > 0) || !(warnMs > 0) || !url) return;
  var STORAGE_KEY = "clinic-staff-active-at";
  var TYPING_EVERY_MS = 5 * 60 * 1000;
  // This page's own request restarted the server's clock.
  var activeAt = Date.now();
  var timer = null;
  var dialog, heading, message, button, returnFocus;
  var dismissed = false;
  var signedOut = false;
  var calling = false;

  // A request's page keeps what was typed if it is saved too late; other pages do not.
  function keptHere() {
    return document.querySelector('input[name="_unsaved_key"]') !== null;
  }

  function announce() {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(activeAt));
    } catch (error) {
      // Storage switched off: this tab still keeps its own clock.
    }
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "idle-warning";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "idle-warning-title");
    dialog.setAttribute("aria-describedby", "idle-warning-text");
    heading = document.createElement("h2");
    heading.id = "idle-warning-title";
    message = document.createElement("p");
    message.id = "idle-warning-text";
    button = document.createElement("button");
    button.type = "button";
    button.className = "button default";
    dialog.append(heading, message, button);
    document.body.append(dialog);
    button.addEventListener("click", function () {
      if (signedOut) dialog.close();
      else keepAlive();
    });
    // Escape closes it for now; it opens again only to say the session has ended.
    dialog.addEventListener("cancel", function () {
      dismissed = true;
    });
    dialog.addEventListener("close", function () {
      if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      returnFocus = null;
    });
  }

  function open() {
    if (!dialog) build();
    if (dialog.open) return;
    returnFocus = document.activeElement;
    dialog.showModal();
    button.focus();
  }

  function warn(leftMs) {
    if (dismissed) return;
    var minutes = Math.max(1, Math.ceil(leftMs / 60000));
    if (!dialog) build();
    heading.textContent = "You will be signed out soon";
    message.textContent =
      "You will be signed out in " + minutes + (minutes === 1 ? " minute" : " minutes") +
      " because nothing has been saved for a while. " +
      (keptHere() ? "Anything you have typed is kept." : "Save your work, or stay signed in.");
    button.textContent = "Stay signed in";
    open();
  }

  function showSignedOut() {
    signedOut = true;
    clearTimeout(timer);
    if (!dialog) build();
    heading.textContent = "You have been signed out";
    message.textContent =
      "You were signed out because nothing was saved for a while. " +
        (keptHere()
          ? "Press Save: what you typed is kept, and comes back when you sign in again."
          : "Sign in again to go on.");
    button.textContent = "Close";
    open();
  }

  function tick() {
    clearTimeout(timer);
    if (signedOut) return;
    var leftMs = activeAt + idleMs - Date.now();
    if (leftMs <= 0) {
      showSignedOut();
    } else if (leftMs <= warnMs) {
      warn(leftMs);
      timer = setTimeout(tick, Math.min(leftMs, 15000));
    } else {
      timer = setTimeout(tick, leftMs - warnMs);
    }
  }

  function renewed(at) {
    activeAt = Math.max(activeAt, at);
    dismissed = false;
    if (dialog && dialog.open && !signedOut) dialog.close();
    tick();
  }

  function keepAlive() {
    if (calling || signedOut) return;
    calling = true;
    window
      .fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
        cache: "no-store",
      })
      .then(function (response) {
        if (response.status === 204) {
          renewed(Date.now());
          announce();
        } else {
          showSignedOut();
        }
      })
      .catch(function () {
        // The session may well still be there: say so, and leave the button to try again.
        if (dialog) {
          message.textContent =
            "We could not reach the clinic's server. Save your work now, or try again.";
        }
      })
      .then(function () {
        calling = false;
      });
  }

  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && event.newValue) renewed(Number(event.newValue) || 0);
  });
  document.addEventListener("input", function () {
    if (Date.now() - activeAt >= TYPING_EVERY_MS) keepAlive();
  });
  // Timers sleep with the laptop and slow down in background tabs: look again on return.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") tick();
  });
  announce();
  tick();
})();
