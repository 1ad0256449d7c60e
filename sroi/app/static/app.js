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
  site.addEventListener("change", showQuestions);
  showQuestions();
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
