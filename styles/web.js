/* The web edition's only script: the self-check quiz and the "Listen" buttons of the
   easy-read page. Pages work without it; nothing is sent anywhere. */
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
    var score = form.querySelector(".score");

    function update() {
      var checked = questions.filter(function (q) { return q.hasAttribute("data-checked"); });
      if (!checked.length) {
        box.hidden = true;
        score.textContent = "";
        return;
      }
      box.hidden = false;
      if (checked.length < questions.length) {
        var form = "other";
        try {  // the page's language's plural form of the number checked (one, other…)
          form = new Intl.PluralRules(document.documentElement.lang).select(checked.length);
        } catch (error) { form = checked.length === 1 ? "one" : "other"; }
        score.textContent = fill(form === "one" ? score.dataset.progressOne : score.dataset.progress,
          { done: checked.length, count: score.dataset.count });
        return;
      }
      var total = 0;
      questions.forEach(function (q) {
        if (q.getAttribute("data-checked") === "right") { total += Number(q.dataset.points); }
      });
      score.textContent = fill(score.dataset.score, { score: total, total: score.dataset.total });
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

  function setUpListening() {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("button.listen"));
    if (!buttons.length || !("speechSynthesis" in window) ||
        typeof window.SpeechSynthesisUtterance !== "function") {
      return;
    }
    var speaking = null;
    function stop() {
      window.speechSynthesis.cancel();
      if (speaking) {
        speaking.textContent = speaking.dataset.listen;
        speaking = null;
      }
    }
    buttons.forEach(function (button) {
      button.dataset.listen = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var was = speaking;
        stop();
        if (was === button) { return; }
        var part = button.closest(".easy-text");
        var text = Array.prototype.map.call(part.querySelectorAll("h2, .easy-line"),
          function (element) { return element.textContent.trim(); }).join("\n");
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = document.documentElement.lang;
        function done() { if (speaking === button) { stop(); } }
        utterance.addEventListener("end", done);
        utterance.addEventListener("error", done);
        speaking = button;
        button.textContent = button.dataset.stop;
        window.speechSynthesis.speak(utterance);
      });
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
  var search = document.querySelector("section.search");
  if (search && Array.isArray(window.handoutsSearch)) { setUpSearch(search, window.handoutsSearch); }
}());
