// Progressive enhancement only: every flow works without this file.
(function () {
  "use strict";
  // Bring keyboard and screen-reader focus to a form's error summary.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Ask before destructive buttons (revoking a token…).
  document.addEventListener("submit", function (e) {
    var danger = e.target.querySelector("button.danger");
    var question = document.documentElement.lang === "fr" ? "Confirmer ?" : "Are you sure?";
    if (danger && !window.confirm(question)) { e.preventDefault(); }
  });
})();
