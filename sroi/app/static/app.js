// sroi app: show the new area's questions only when a new area is chosen,
// and show progress while the Monte Carlo runs. The page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("answers");
  var site = document.getElementById("field-site");
  var newArea = document.getElementById("new-area");
  var progress = document.getElementById("progress");
  var button = document.getElementById("run");
  var elapsed = document.getElementById("elapsed");
  var timer = null;
  function showQuestions() {
    newArea.hidden = site.value !== "new";
  }
  // Under the perspective, what the chosen one counts.
  var perspective = document.getElementById("field-perspective");
  var meaning = document.getElementById("perspective-meaning");
  perspective.addEventListener("change", function () {
    meaning.textContent = perspective.options[perspective.selectedIndex].getAttribute("data-meaning");
  });
  site.addEventListener("change", showQuestions);
  showQuestions();
  // After answers that cannot be used, the summary of problems at the top
  // takes the focus (so it is seen and read out), and each of its links moves
  // to its field with the field's question in view.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      if (!link) { return; }
      var input = document.getElementById(link.getAttribute("data-field"));
      if (!input) { return; }
      event.preventDefault();
      var details = input.closest("details");
      if (details) { details.open = true; }
      var row = input.closest(".field") || input;
      row.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }
  form.addEventListener("submit", function () {
    var started = Date.now();
    var draws = document.getElementById("field-draws").value.trim();
    if (draws) { document.getElementById("draws-shown").textContent = draws; }
    progress.hidden = false;
    button.disabled = true;
    button.textContent = "Running…";
    timer = window.setInterval(function () {
      elapsed.textContent = "(" + Math.round((Date.now() - started) / 1000) + " s)";
    }, 500);
  });
  // Coming back to the page from the browser's history: ready to run again.
  window.addEventListener("pageshow", function () {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
    progress.hidden = true;
    button.disabled = false;
    button.textContent = "Run";
  });
});
