// Progressive enhancement only: every flow works without this file.
(function () {
  "use strict";
  // Bring keyboard and screen-reader focus to a form's error summary.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Fold the menu on a phone; unfold it when the window grows.
  var fold = document.querySelector(".nav-fold");
  if (fold && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 48rem)");
    if (!wide.matches) { fold.open = false; }
    var unfold = function (e) { if (e.matches) { fold.open = true; } };
    if (wide.addEventListener) { wide.addEventListener("change", unfold); }
  }
  // Ask before destructive buttons (revoking a token…).
  document.addEventListener("submit", function (e) {
    var danger = e.target.querySelector("button.danger");
    var question = document.documentElement.lang === "fr" ? "Confirmer ?" : "Are you sure?";
    if (danger && !window.confirm(question)) { e.preventDefault(); }
  });
})();
