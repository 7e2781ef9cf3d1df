/* Passkeys: "Add a passkey" on the passkeys page, "Use a passkey instead" at sign-in step 2.
   Both wait in a <template id="passkey-offer"> and are shown only where this browser can
   make and use a passkey, so without JavaScript nobody sees a button that cannot work.
   The server sends the options as JSON and checks the answer (recovery_site/passkeys.py). */
(function () {
  "use strict";

  var offer = document.getElementById("passkey-offer");
  var status = document.getElementById("passkey-status");
  var api = window.PublicKeyCredential;
  if (!offer || !status || !api || !api.parseCreationOptionsFromJSON ||
      !api.parseRequestOptionsFromJSON) {
    return;
  }
  var withoutScript = document.getElementById("passkey-needs-script");
  if (withoutScript) {
    withoutScript.remove();
  }
  offer.replaceWith(offer.content.cloneNode(true));

  function say(text) {
    status.textContent = text;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(body || {})
    });
    var data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) {
      var problem = new Error(data.detail || "Something went wrong. Please try again.");
      problem.restart = Boolean(data.restart);
      throw problem;
    }
    return data;
  }

  function explain(error) {
    // The person closed the browser's passkey window, or it timed out: not a failure.
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
      return "No passkey was used. You can try again.";
    }
    if (error.name === "InvalidStateError") {
      return "This device already holds one of your passkeys for this site.";
    }
    return error.message || "Something went wrong. Please try again.";
  }

  async function run(control, ceremony) {
    control.disabled = true;
    say("Follow what your browser asks…");
    try {
      var data = await ceremony();
      say("Done. One moment…");
      window.location.assign(data.redirect_url);
    } catch (error) {
      say(explain(error));
      control.disabled = false;
      if (error.restart) {
        window.location.reload();  // back to step 1: the session has forgotten them
      }
    }
  }

  var signIn = document.querySelector("[data-passkey=sign-in]");
  if (signIn) {
    signIn.addEventListener("click", function () {
      run(signIn, async function () {
        var options = await post(signIn.dataset.begin);
        var credential = await navigator.credentials.get({
          publicKey: api.parseRequestOptionsFromJSON(options)
        });
        return post(signIn.dataset.complete, credential.toJSON());
      });
    });
  }

  var register = document.querySelector("form[data-passkey=register]");
  if (register) {
    register.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = register.querySelector("[type=submit]");
      run(button, async function () {
        var options = await post(register.dataset.begin);
        var credential = await navigator.credentials.create({
          publicKey: api.parseCreationOptionsFromJSON(options)
        });
        return post(register.dataset.complete, {
          name: register.elements.namedItem("name").value,
          credential: credential.toJSON()
        });
      });
    });
  }
})();
