// A seqviz lesson file's behaviour: one step at a time, reveal, student mode and its score, presentation mode,
// keys (→ next, ← back, space reveals then moves on) and the figures, drawn by the plotly.js inlined above when
// their step shows, each in the version made for the screen's width (a phone's, or any other).
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 640px)");
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  var strings = read("seqviz-strings"), config = read("seqviz-config"), figures = read("seqviz-figures");
  var body = document.body, steps = Array.prototype.slice.call(document.querySelectorAll(".step"));
  var controls = document.getElementById("controls"), back = document.getElementById("back");
  var reveal = document.getElementById("reveal"), next = document.getElementById("next");
  var chooseFirst = document.getElementById("choose-first"), finished = document.getElementById("finished");
  var presentBox = document.getElementById("present-mode"), studentBox = document.getElementById("student-mode");
  var current = 0, revealed = {}, scored = {}, drawn = {};

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function question(step) { return step.querySelector(".question"); }
  function chosen(step) {
    var picked = step.querySelector(".question input:checked");
    return picked ? Number(picked.value) : null;
  }

  // A figure in the version for this screen; on the wall an answer's figure at most the wall's height.
  function draw(plot) {
    var k = Number(plot.dataset.figure), spec = figures[k], phone = PHONE.matches && spec.phone;
    var wall = body.classList.contains("present") && !PHONE.matches && plot.closest(".answer-figure");
    var key = (phone ? "phone" : "wide") + (wall ? "-wall" : "");
    if (drawn[k] === key) return;
    var copy = function (value) { return JSON.parse(JSON.stringify(value)); }; // plotly.js writes into what it draws
    var data = spec.data.map(function (trace, i) {
      return copy(phone ? Object.assign({}, trace, spec.phone.data[i]) : trace);
    });
    var layout = copy(phone ? spec.phone.layout : spec.layout);
    if (wall) layout.height = Math.min(layout.height || window.SEQVIZ_WALL_PX, window.SEQVIZ_WALL_PX);
    if (drawn[k] !== undefined) Plotly.purge(plot);
    // the box keeps the figure's height: on a resize, plotly.js sizes a responsive figure to its box
    plot.style.height = (layout.height || 450) + "px";
    Plotly.newPlot(plot, data, layout, config);
    drawn[k] = key;
  }

  function drawShown() {
    var step = steps[current];
    Array.prototype.forEach.call(step.querySelectorAll(".sv-plot"), function (plot) {
      if (plot.offsetParent !== null) draw(plot);
    });
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.classList.toggle("current", i === current); });
    var step = steps[current];
    step.querySelector(".nav-slot").appendChild(controls);
    document.getElementById("progress-bar").style.width = (100 * (current + 1) / steps.length) + "%";
    document.getElementById("step-of").textContent = fill(strings.les_step_of, { i: current + 1, n: steps.length });
    if (history.replaceState) history.replaceState(null, "", "#step-" + (current + 1));
    update();
    if (focus) step.querySelector("h2").focus({ preventScroll: true });
    if (focus) window.scrollTo(0, 0);
  }

  // Buttons, reveal, verdict and score for the current step and the modes.
  function update() {
    var step = steps[current], q = question(step), isRevealed = !!revealed[current];
    var waiting = q && !isRevealed, student = studentBox.checked;
    var studentWaits = waiting && student && chosen(step) === null;
    back.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    reveal.hidden = !waiting;
    reveal.disabled = studentWaits;
    next.classList.toggle("primary", !waiting);
    chooseFirst.hidden = !studentWaits;
    var stage = step.querySelector(".stage");
    stage.classList.toggle("revealed", isRevealed);
    if (q) {
      step.querySelector(".answer").hidden = !isRevealed;
      var right = Number(q.dataset.answer);
      Array.prototype.forEach.call(q.querySelectorAll("li"), function (li, i) {
        li.classList.toggle("right", isRevealed && i === right);
      });
      Array.prototype.forEach.call(q.querySelectorAll("input"), function (input) { input.disabled = isRevealed; });
      var verdict = step.querySelector(".verdict"), said = scored[current];
      verdict.hidden = !(isRevealed && said !== undefined && student);
      if (!verdict.hidden) {
        verdict.className = "verdict " + (said ? "right" : "wrong");
        verdict.textContent = (said ? "✓ " : "✗ ") +
          fill(said ? strings.les_right : strings.les_wrong, { answer: q.dataset.answerText });
      }
    }
    var answerFigure = step.querySelector(".answer-figure");
    if (answerFigure) answerFigure.hidden = !isRevealed;
    var last = current === steps.length - 1;
    finished.hidden = !last;
    if (last) {
      var answers = Object.keys(scored).map(function (k) { return scored[k]; });
      var right = answers.filter(Boolean).length;
      document.getElementById("score").textContent = answers.length
        ? fill(strings.les_score, { right: right, asked: answers.length })
        : (student ? strings.les_score_none : "");
    }
    drawShown();
  }

  function doReveal() {
    var step = steps[current], q = question(step);
    if (!q || revealed[current]) return show(current + 1, true);
    if (studentBox.checked) {
      var choice = chosen(step);
      if (choice === null) return; // the score counts the answer given before the reveal
      if (!(current in scored)) scored[current] = choice === Number(q.dataset.answer);
    }
    revealed[current] = true;
    update();
  }

  back.addEventListener("click", function () { show(current - 1, true); });
  next.addEventListener("click", function () { show(current + 1, true); });
  reveal.addEventListener("click", doReveal);
  document.addEventListener("change", function (event) {
    if (event.target === presentBox) {
      body.classList.toggle("present", presentBox.checked);
      drawn = {};
      Array.prototype.forEach.call(document.querySelectorAll(".sv-plot"), function (plot) { Plotly.purge(plot); });
    } else if (event.target === studentBox) {
      body.classList.toggle("student", studentBox.checked);
    }
    update();
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    // Keys a focused control uses itself stay its own: arrows in a choice list, space on a button or box.
    var target = event.target, tag = target.tagName, type = (target.type || "").toLowerCase();
    var arrowsTaken = tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && type !== "checkbox");
    var spaceTaken = arrowsTaken || ["INPUT", "BUTTON", "SUMMARY", "A"].indexOf(tag) >= 0;
    if (event.key === "ArrowRight" && !arrowsTaken) { event.preventDefault(); show(current + 1, true); }
    else if (event.key === "ArrowLeft" && !arrowsTaken) { event.preventDefault(); show(current - 1, true); }
    else if (event.key === " " && !spaceTaken) {
      event.preventDefault();
      doReveal();
    }
  });
  PHONE.addEventListener("change", drawShown);

  body.classList.add("js");
  var asked = /^#step-(\d+)$/.exec(location.hash);
  show(asked ? Number(asked[1]) - 1 : 0, false);
})();
