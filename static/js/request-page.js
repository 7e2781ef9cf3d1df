// A request's page: show only the outcome details that go with the chosen status. Without
// this script every detail shows, each labelled with the status it is for.
(function () {
  "use strict";
  var status = document.getElementById("id_status");
  if (!status) return;
  var groups = {
    scheduled: ["appointment_at", "appointment_virtual", "appointment_program", "appointment_place"],
    referred: ["referred_to", "referral_reason"],
    not_a_fit: ["not_a_fit_reason"],
    closed: ["close_reason"]
  };
  function rowOf(name) {
    var field = document.querySelector(".field-" + name);
    return field ? (field.closest(".form-row") || field) : null;
  }
  function update() {
    var any = false;
    Object.keys(groups).forEach(function (key) {
      groups[key].forEach(function (name) {
        var row = rowOf(name);
        if (row) row.hidden = key !== status.value;
      });
      if (key === status.value) any = true;
    });
    var fieldset = rowOf("close_reason") && rowOf("close_reason").closest("fieldset");
    if (fieldset) fieldset.hidden = !any;
  }
  status.addEventListener("change", update);
  update();
})();
