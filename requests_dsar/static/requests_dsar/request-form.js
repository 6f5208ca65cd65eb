// Show only the questions that the chosen right needs. Without JavaScript every
// question stays visible and the server ignores the ones that do not apply.
(function () {
  "use strict";
  var groups = {
    erasure_scope: ["erasure"],
    erasure_accounts: ["erasure"],
    objection_kind: ["objection"],
    objection_activities: ["objection"],
    consents: ["consent-withdrawal"],
    portability_recipient_email: ["portability"],
    restriction_ground: ["restriction"],
  };
  function checkedValue(name) {
    var checked = document.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : "";
  }
  function update() {
    var right = checkedValue("request_type");
    Object.keys(groups).forEach(function (field) {
      var group = document.getElementById("group-" + field);
      if (group) {
        group.hidden = groups[field].indexOf(right) === -1;
      }
    });
    // The accounts count only when the person chose to have only accounts deleted:
    // hidden, they are not sent, so a tick left behind never narrows "everything". A
    // question the server sent back with an error stays in view.
    var accounts = document.getElementById("group-erasure_accounts");
    if (accounts) {
      accounts.hidden =
        accounts.hidden ||
        (checkedValue("erasure_scope") !== "accounts" && !accounts.querySelector(".text-danger"));
      accounts.querySelectorAll("input").forEach(function (input) {
        input.disabled = accounts.hidden;
      });
    }
  }
  document
    .querySelectorAll("input[name=request_type], input[name=erasure_scope]")
    .forEach(function (input) {
      input.addEventListener("change", update);
    });
  update();
})();
