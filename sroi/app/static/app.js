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
  // Each link of a list of answers (the problems, or the answers to check)
  // moves to its field with the field's question in view.
  function linksToFields(box) {
    box.addEventListener("click", function (event) {
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
  // After answers that cannot be used, the summary of problems at the top
  // takes the focus (so it is seen and read out). After a run the form's
  // address (#results) opens the page at the results; a run that failed
  // brings its message into view instead.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    linksToFields(summary);
  }
  var cautions = document.getElementById("cautions");
  if (cautions) { linksToFields(cautions); }
  var failure = document.getElementById("failure");
  if (failure) { failure.scrollIntoView({ block: "start" }); }
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
