/* The web edition's only script: the self-check quiz, the "Listen" buttons of the
   easy-read page, and printing what is on screen. Pages work without it; nothing is sent
   anywhere. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function setUpQuiz(form) {
    var questions = Array.prototype.slice.call(form.querySelectorAll(".web-question"));
    var box = form.querySelector(".score-box");
    var progress = form.querySelector(".progress");
    var score = form.querySelector(".score");  // a live region: written once, when complete
    var restart = form.querySelector(".restart-row");

    function say(region, words) {
      if (region.textContent !== words) { region.textContent = words; }
    }

    function update() {
      var checked = questions.filter(function (q) { return q.hasAttribute("data-checked"); });
      if (checked.length) { box.setAttribute("data-started", ""); } else { box.removeAttribute("data-started"); }
      restart.hidden = !checked.length;
      if (checked.length < questions.length) {
        say(score, "");
        if (!checked.length) { say(progress, ""); return; }
        var form = "other";
        try {  // the page's language's plural form of the number checked (one, other…)
          form = new Intl.PluralRules(document.documentElement.lang).select(checked.length);
        } catch (error) { form = checked.length === 1 ? "one" : "other"; }
        say(progress, fill(form === "one" ? progress.dataset.progressOne : progress.dataset.progress,
          { done: checked.length, count: progress.dataset.count }));
        return;
      }
      var total = 0;
      questions.forEach(function (q) {
        if (q.getAttribute("data-checked") === "right") { total += Number(q.dataset.points); }
      });
      say(progress, "");
      say(score, fill(score.dataset.score, { score: total, total: score.dataset.total }));
    }

    function reset(q) {
      q.removeAttribute("data-checked");
      q.querySelector(".feedback").textContent = "";
      var details = q.querySelector(".answer-details");
      details.open = false;
    }

    questions.forEach(function (q) {
      var feedback = q.querySelector(".feedback");
      var row = q.querySelector(".check-row");
      row.hidden = false;
      row.querySelector(".check").addEventListener("click", function () {
        var picked = q.querySelector("input[type=radio]:checked");
        if (!picked) {
          reset(q);
          feedback.textContent = feedback.dataset.choose;
          update();
          return;
        }
        var right = picked.value === q.dataset.answer;
        q.setAttribute("data-checked", right ? "right" : "wrong");
        feedback.textContent = right ? feedback.dataset.right : feedback.dataset.wrong;
        q.querySelector(".answer-details").open = true;
        update();
      });
      q.addEventListener("change", function () {
        if (q.hasAttribute("data-checked")) { reset(q); update(); }
      });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.querySelector(".restart").addEventListener("click", function () {
      form.reset();
      questions.forEach(reset);
      update();
      questions[0].querySelector("input[type=radio]").focus();
    });
  }

  /* Each button reads its part aloud, and says in words when the browser cannot: no voice,
     or speech that fails or never starts. What happens is announced in one status region. */
  function setUpListening() {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("button.listen"));
    var status = document.querySelector(".listen-status");
    if (!buttons.length || !("speechSynthesis" in window) || !window.speechSynthesis ||
        typeof window.SpeechSynthesisUtterance !== "function") {
      return;  // no speech at all: the buttons stay hidden
    }
    var speaking = null;
    var watchdog = null;
    function word(button) { return button.querySelector(".listen-word"); }
    function show(button, words) {  // what the button shows, and its name: "Stop: Part…"
      word(button).textContent = words;
      button.setAttribute("aria-label", words + button.dataset.part);
    }
    function announce(words) { if (status) { status.textContent = words; } }
    function reset(button) {
      show(button, button.dataset.listen);
      button.removeAttribute("data-state");
    }
    function stop(announced) {
      window.clearTimeout(watchdog);
      try { window.speechSynthesis.cancel(); } catch (error) { /* nothing to stop */ }
      if (speaking) {
        reset(speaking);
        speaking = null;
        if (announced && status) { announce(status.dataset.stopped); }
      }
    }
    function cannot(button) {
      window.clearTimeout(watchdog);
      if (speaking === button) { speaking = null; }
      try { window.speechSynthesis.cancel(); } catch (error) { /* nothing to stop */ }
      show(button, button.dataset.cannot);
      button.setAttribute("data-state", "cannot");
      announce(button.dataset.cannot);
    }
    buttons.forEach(function (button) {
      button.dataset.listen = word(button).textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var was = speaking;
        stop(was === button);
        if (was === button) { return; }
        reset(button);
        var part = button.closest(".easy-text");
        var heading = part.querySelector("h2");
        var text = Array.prototype.map.call(part.querySelectorAll("h2, .easy-line"),
          function (element) { return element.textContent.trim(); }).join("\n");
        var utterance;
        try {
          utterance = new window.SpeechSynthesisUtterance(text);
        } catch (error) { cannot(button); return; }
        utterance.lang = document.documentElement.lang;
        var started = false;
        utterance.addEventListener("start", function () { started = true; });
        utterance.addEventListener("end", function () { if (speaking === button) { stop(false); } });
        utterance.addEventListener("error", function (event) {
          // "interrupted" and "canceled" are the reader's own Stop or another part's Listen
          if (event.error === "interrupted" || event.error === "canceled") { return; }
          if (speaking === button || !started) { cannot(button); }
        });
        speaking = button;
        show(button, button.dataset.stop);
        if (status) {
          announce(fill(status.dataset.speaking, { part: heading ? heading.textContent.trim() : "" }));
        }
        try {
          window.speechSynthesis.speak(utterance);
        } catch (error) { cannot(button); return; }
        // A browser without a voice may neither speak nor say why: after a few seconds with
        // no start and nothing speaking, the button says that it cannot read aloud.
        watchdog = window.setTimeout(function () {
          if (speaking === button && !started && !window.speechSynthesis.speaking) {
            cannot(button);
          }
        }, 4000);
      });
    });
  }

  /* Printing gives what is on screen and more: every answer and explanation is printed (the
     closed boxes are opened for the print, and closed again after), and the page's address
     at the foot. The stylesheet does the same without the script where the browser can. */
  function setUpPrinting() {
    var opened = [];
    var address = document.querySelector(".print-address .page-address");
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"),
        function (details) { details.open = true; opened.push(details); });
      if (address && !address.textContent.trim()) { address.textContent = window.location.href; }
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }

  /* The home page's search: every word typed must be in a sheet's title, highlights or tags
     (accents, capitals and "#" aside), read from the prebuilt index (search-index.js). */
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function setUpSearch(box, index) {
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector(".search-status");
    var list = box.querySelector(".search-results");
    var lang = document.documentElement.lang;
    box.hidden = false;
    function show() {
      var words = fold(input.value).split(/[\s#]+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { status.textContent = ""; return; }
      var found = index.filter(function (entry) {
        return words.every(function (word) { return entry.text.indexOf(word) !== -1; });
      });
      found.forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entry.href;
        link.textContent = entry.title;
        if (entry.lang !== lang) { link.lang = entry.lang; link.hreflang = entry.lang; }
        item.appendChild(link);
        if (entry.tags.length) {
          var tags = document.createElement("span");
          tags.className = "search-tags";
          tags.textContent = " — " + entry.tags.join(", ");
          if (entry.lang !== lang) { tags.lang = entry.lang; }
          item.appendChild(tags);
        }
        list.appendChild(item);
      });
      var form = "other";
      try { form = new Intl.PluralRules(lang).select(found.length); } catch (error) {
        form = found.length === 1 ? "one" : "other";
      }
      status.textContent = found.length ? fill(form === "one" ? status.dataset.foundOne :
        status.dataset.found, { count: found.length }) : status.dataset.none;
    }
    input.addEventListener("input", show);
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      show();
    });
  }

  var form = document.querySelector("form.quiz-form");
  if (form) { setUpQuiz(form); }
  setUpListening();
  setUpPrinting();
  var search = document.querySelector("section.search");
  if (search && Array.isArray(window.handoutsSearch)) { setUpSearch(search, window.handoutsSearch); }
}());
