// The live preview (templates/preview_panel.html): the handout of the chosen tab as page
// pictures, made again after a pause in the author's typing. The editor's form tells of each
// change with a `sheet-changed` event on `document`, the sheet's data (or its text) in
// `event.detail`; it is posted to the studio, which answers with the pictures'
// addresses, or with the sheet's problems. No inline script or style: the page's CSP forbids
// them.
(function () {
  "use strict";
  const root = document.querySelector("#preview .preview");
  if (!root) {
    return;
  }
  const PAUSE_MS = 300; // after the last change, before the preview is asked for
  const endpoint = root.dataset.previewEndpoint;
  const token = root.dataset.csrf;
  const lang = document.documentElement.lang || "en";
  const tabs = Array.from(root.querySelectorAll('[role="tab"]'));
  const panel = root.querySelector('[role="tabpanel"]');
  const status = root.querySelector(".preview-status");
  const pdfLink = root.querySelector(".preview-pdf");
  const zipLink = root.querySelector(".preview-zip");
  let shown = {}; // what is previewed: {} the sheet as saved, {text: YAML} or {data: form}
  let kind = tabs[0].dataset.kind;
  let timer = null;
  let asked = 0; // the latest request: an older answer arriving late is dropped

  // The editor gives the sheet's data ({data}: the form's), which the studio writes into the
  // file's text as a save would: its problems are at the lines the saved file will have. A
  // YAML text, or an object holding it, is previewed as it is.
  function postedOf(detail) {
    if (typeof detail === "string") {
      return {text: detail};
    }
    if (detail && typeof detail.text === "string") {
      return {text: detail.text};
    }
    if (detail && typeof detail.yaml === "string") {
      return {text: detail.yaml};
    }
    if (detail && typeof detail === "object" && "data" in detail) {
      return {data: detail.data};
    }
    return {data: detail === undefined ? null : detail};
  }

  // The status line above says that the preview waits for these problems to be fixed.
  function showProblems(answer) {
    const list = document.createElement("ul");
    list.className = "preview-problems";
    for (const problem of answer.problems) {
      const item = document.createElement("li");
      item.textContent = problem.message;
      list.append(item);
    }
    panel.replaceChildren(list);
    pdfLink.hidden = true;
    zipLink.hidden = true;
  }

  function showPages(answer) {
    const images = answer.pages.map(function (page) {
      const image = document.createElement("img");
      image.src = page.src;
      image.alt = page.alt;
      image.width = 794;
      image.height = 1123;
      return image;
    });
    panel.replaceChildren(...images);
    pdfLink.href = answer.pdf;
    zipLink.href = answer.zip;
    pdfLink.hidden = false;
    zipLink.hidden = false;
  }

  // The web edition's pages in a frame: sandboxed (no script runs in it; its pages' links
  // stay inside it), served by the studio from memory.
  function showWeb(answer) {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-same-origin");
    frame.className = "preview-web";
    frame.title = answer.title;
    frame.src = answer.frame;
    panel.replaceChildren(frame);
    pdfLink.hidden = true;
    zipLink.hidden = true;
  }

  async function refresh() {
    const number = ++asked;
    status.textContent = root.dataset.updating;
    root.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
        body: JSON.stringify(Object.assign({kind: kind, lang: lang}, shown)),
      });
      if (number !== asked) {
        return;
      }
      if (!response.ok) {
        throw new Error(await response.text());
      }
      const answer = await response.json();
      if (number !== asked) {
        return;
      }
      if (answer.valid && answer.kind === "web") {
        showWeb(answer);
        root.dataset.digest = answer.digest;
        status.textContent = root.dataset.updated;
      } else if (answer.valid) {
        showPages(answer);
        root.dataset.digest = answer.digest;
        status.textContent = root.dataset.updated;
      } else {
        showProblems(answer);
        status.textContent = root.dataset.problems;
      }
    } catch (error) {
      if (number === asked) {
        status.textContent = root.dataset.failed + " " + error.message;
      }
    } finally {
      if (number === asked) {
        root.removeAttribute("aria-busy");
      }
    }
  }

  function select(tab, focus) {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
    }
    panel.setAttribute("aria-labelledby", tab.id);
    if (focus) {
      tab.focus();
    }
    if (kind !== tab.dataset.kind) {
      kind = tab.dataset.kind;
      refresh();
    }
  }

  for (const tab of tabs) {
    tab.addEventListener("click", function () {
      select(tab, false);
    });
    tab.addEventListener("keydown", function (event) {
      const index = tabs.indexOf(tab);
      const moves = {
        ArrowRight: (index + 1) % tabs.length,
        ArrowLeft: (index - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1,
      };
      if (event.key in moves) {
        event.preventDefault();
        select(tabs[moves[event.key]], true);
      }
    });
  }

  document.addEventListener("sheet-changed", function (event) {
    shown = postedOf(event.detail);
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, PAUSE_MS);
  });

  refresh();
})();
