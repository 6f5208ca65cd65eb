// Show only the questions that the chosen right needs. Without JavaScript every
// question stays visible and the server ignores the ones that do not apply.
(function () {
  "use strict";
  var groups = {
    objection_kind: ["objection"],
    objection_activities: ["objection"],
    consents: ["consent-withdrawal"],
    portability_recipient_email: ["portability"],
  };
  function update() {
    var checked = document.querySelector("input[name=request_type]:checked");
    var right = checked ? checked.value : "";
    Object.keys(groups).forEach(function (field) {
      var group = document.getElementById("group-" + field);
      if (group) {
        group.hidden = groups[field].indexOf(right) === -1;
      }
    });
  }
  document.querySelectorAll("input[name=request_type]").forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
})();
