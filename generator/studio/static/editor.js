/* The sheet editor: a form made from the format's JSON Schema (a field added to the format
   appears here by itself), check's messages at their fields as the author types, saving that
   notices a change by another program, and a draft kept in the browser. */
(function () {
  "use strict";
  const root = document.getElementById("editor");
  const form = document.getElementById("sheet-form");
  if (!root || !form) return;
  const W = JSON.parse(root.dataset.words);
  const base = "/sheet/" + root.dataset.path.split("/").map(encodeURIComponent).join("/");
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const draftKey = "handouts-draft:" + root.dataset.path;
  const status = document.getElementById("status");
  const saveButton = document.getElementById("save");
  const notices = document.getElementById("notices");
  const LONG_TEXT = 1000; // a text allowed this long gets a text area
  const CHECK_DELAY = 400; // ms after the last key before check runs

  let schema = null;
  let fields = {}; // each field's label and description in the page's language, by its path
  let data = {};
  let digest = "";
  let dirty = false;
  let timer = null;
  let checking = 0;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));
  }
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  /* --- the schema --- */
  function resolve(s) {
    while (s && s.$ref) s = schema.$defs[s.$ref.split("/").pop()];
    if (s && s.anyOf) {
      const real = s.anyOf.filter((x) => x.type !== "null");
      if (real.length === 1) return Object.assign({}, resolve(real[0]), {
        description: s.description, title: s.title });
    }
    return s || {};
  }
  /* A field's words come from the locale files, by the field's path without its item
     numbers (quiz.choices); a field they lack (one just added to the format) shows the
     schema's own title and description. */
  function fieldKey(path) {
    return path.filter((part) => typeof part !== "number").join(".");
  }
  function describe(s, own, path) {
    const words = fields[fieldKey(path)];
    if (words && words.description) return words.description;
    return (own && own.description) || s.description || "";
  }

  /* --- paths: as check writes them, quiz[2].answer (1-based) --- */
  function dotted(path) {
    let text = "";
    for (const part of path) {
      if (typeof part === "number") text += "[" + (part + 1) + "]";
      else text += text ? "." + part : part;
    }
    return text;
  }
  function fieldId(path) {
    return "f-" + path.map((p) => (typeof p === "number" ? p + 1 : p)).join("-");
  }
  function get(path) {
    let value = data;
    for (const part of path) {
      if (value === null || value === undefined) return undefined;
      value = value[part];
    }
    return value;
  }
  function set(path, value, remove) {
    let parent = data;
    for (let i = 0; i < path.length - 1; i++) {
      if (parent[path[i]] === null || typeof parent[path[i]] !== "object") {
        parent[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      }
      parent = parent[path[i]];
    }
    const last = path[path.length - 1];
    if (remove && !Array.isArray(parent)) delete parent[last];
    else parent[last] = value;
  }

  /* --- the form --- */
  function labelText(name, s, path) {
    const words = fields[fieldKey(path)];
    return (words && words.label) || s.title || name;
  }
  function control(s, path, label, required, describedBy) {
    const id = fieldId(path);
    const value = get(path);
    const text = value === null || value === undefined ? "" : String(value);
    let input;
    if (s.enum || s.const !== undefined) {
      const options = s.enum || [s.const];
      input = el("select", { id });
      if (!required || !options.map(String).includes(text)) {
        input.append(el("option", { value: "", text: W.not_set }));
      }
      for (const option of options) input.append(el("option", { value: String(option), text: String(option) }));
      if (text && !options.map(String).includes(text)) input.append(el("option", { value: text, text }));
      input.value = text;
    } else if (s.type === "boolean") {
      input = el("select", { id });
      input.append(el("option", { value: "", text: W.not_set }));
      input.append(el("option", { value: "true", text: W.yes }));
      input.append(el("option", { value: "false", text: W.no }));
      if (text && !["true", "false"].includes(text)) input.append(el("option", { value: text, text }));
      input.value = text;
    } else if (s.type === "string" && (s.maxLength || 0) >= LONG_TEXT) {
      input = el("textarea", { id, rows: text.length > 300 ? 8 : 4 });
      input.value = text;
    } else {
      const kind = s.format === "date" ? "date" : s.format === "email" ? "email" : "text";
      input = el("input", { id, type: kind, inputmode: s.type === "integer" ? "numeric" : null,
        autocomplete: "off" });
      input.value = text;
    }
    input.dataset.path = JSON.stringify(path);
    input.dataset.required = required ? "1" : "";
    if (required) input.setAttribute("aria-required", "true");
    if (describedBy) input.setAttribute("aria-describedby", describedBy);
    input.dataset.describedby = describedBy || "";
    return input;
  }

  /* A field's label: its name, and a star (hidden from screen readers, which are told by
     aria-required) when the format requires it. */
  function labelFor(id, label, required) {
    const node = el("label", { for: id, text: label });
    if (required) node.append(el("span", { class: "required", "aria-hidden": "true", text: " *" }));
    return node;
  }

  function field(name, own, path, required) {
    const s = resolve(own);
    const label = typeof path[path.length - 1] === "number" ? name : labelText(name, s, path);
    if (s.type === "object" && s.properties) return objectBlock(s, path, label, describe(s, own, path), required);
    if (s.type === "array") return arrayBlock(s, path, label, describe(s, own, path));
    const id = fieldId(path);
    const description = typeof path[path.length - 1] === "number" ? "" : describe(s, own, path);
    const wrap = el("div", { class: "field", "data-field": dotted(path) });
    const describedBy = description ? id + "-d" : null;
    wrap.append(labelFor(id, label, required));
    if (description) wrap.append(el("p", { class: "description", id: id + "-d", text: description }));
    wrap.append(control(s, path, label, required, describedBy));
    wrap.append(el("div", { class: "messages", id: id + "-m" }));
    return wrap;
  }

  function objectBlock(s, path, label, description, required, legendText) {
    const id = fieldId(path);
    const box = el("fieldset", { class: "group", id: id, "data-field": dotted(path) });
    box.append(el("legend", { text: legendText || label }));
    if (description) box.append(el("p", { class: "description", text: description }));
    box.append(el("div", { class: "messages", id: id + "-m" }));
    const needed = s.required || [];
    for (const [name, sub] of Object.entries(s.properties)) {
      if (name === "answer" && s.properties.choices) box.append(answerField(sub, [...path, name], needed.includes(name)));
      else box.append(field(name, sub, [...path, name], needed.includes(name)));
    }
    return box;
  }

  function letter(index) {
    return String.fromCharCode(97 + index);
  }

  /* A question's answer: one of its choices, by letter, with the choice's text. */
  function answerField(own, path, required) {
    const s = resolve(own);
    const id = fieldId(path);
    const wrap = el("div", { class: "field answer", "data-field": dotted(path) });
    wrap.append(labelFor(id, labelText("answer", s, path), required));
    const description = describe(s, own, path);
    if (description) wrap.append(el("p", { class: "description", id: id + "-d", text: description }));
    const select = el("select", { id, "aria-describedby": description ? id + "-d" : null });
    select.dataset.path = JSON.stringify(path);
    select.dataset.required = required ? "1" : "";
    select.dataset.describedby = description ? id + "-d" : "";
    select.dataset.answer = "1";
    wrap.append(select, el("div", { class: "messages", id: id + "-m" }));
    fillAnswer(select);
    return wrap;
  }
  function fillAnswer(select) {
    const path = JSON.parse(select.dataset.path);
    const choices = get([...path.slice(0, -1), "choices"]) || [];
    const value = get(path);
    const current = value === null || value === undefined ? "" : String(value);
    select.replaceChildren(el("option", { value: "", text: W.not_set }));
    choices.forEach((choice, index) => {
      const text = choice === null || choice === undefined ? "" : String(choice);
      select.append(el("option", { value: letter(index), text: letter(index) + ") " + text }));
    });
    const known = choices.map((c, i) => letter(i));
    if (current && !known.includes(current.toLowerCase())) select.append(el("option", { value: current, text: current }));
    select.value = known.includes(current.toLowerCase()) ? current.toLowerCase() : current;
  }

  /* One item of a list: "Choice c", "Key point 2" (its name from the locale files, else
     the list's title). */
  function itemLabel(arrayLabel, path, index) {
    const words = fields[fieldKey(path) + "[]"];
    const one = (words && words.label) || arrayLabel;
    return path[path.length - 1] === "choices" ? one + " " + letter(index) : one + " " + (index + 1);
  }

  function arrayBlock(s, path, label, description) {
    const id = fieldId(path);
    const box = el("fieldset", { class: "group list", id, "data-field": dotted(path) });
    box.append(el("legend", { text: label }));
    if (description) box.append(el("p", { class: "description", text: description }));
    box.append(el("div", { class: "messages", id: id + "-m" }));
    const list = el("ol", { class: "items" });
    box.append(list);
    const items = get(path) || [];
    const itemSchema = resolve(s.items || {});
    items.forEach((item, index) => list.append(itemBlock(s, itemSchema, path, label, index, items.length)));
    const add = el("button", { type: "button", class: "add", text: W.add + ": " + itemLabel(label, path, items.length) });
    add.addEventListener("click", () => {
      const current = get(path) || [];
      set(path, current.concat([blank(itemSchema)]));
      changed(path, true);
      rebuild(path, [...path, current.length], "first");
    });
    box.append(add);
    return box;
  }

  function itemBlock(s, itemSchema, path, label, index, count) {
    const itemPath = [...path, index];
    const name = itemLabel(label, path, index);
    const grouped = itemSchema.type === "object" && itemSchema.properties;
    const li = el("li", { class: grouped ? "item" : "item simple" });
    let body;
    if (grouped) {
      body = objectBlock(itemSchema, itemPath, name, "", true, name);
    } else {
      body = field(name, s.items, itemPath, true);
    }
    li.append(body);
    const tools = el("div", { class: "tools" });
    const button = (word, action, disabled) => {
      const b = el("button", { type: "button", "aria-label": word + ": " + name, "data-action": action,
        text: word, disabled: disabled || null });
      b.addEventListener("click", () => move(path, index, action));
      return b;
    };
    tools.append(button(W.move_up, "up", index === 0), button(W.move_down, "down", index === count - 1),
      button(W.remove, "remove", false));
    li.append(tools);
    return li;
  }

  function blank(s) {
    if (s.type === "object" && s.properties) {
      const item = {};
      for (const name of s.required || []) {
        const sub = resolve(s.properties[name]);
        item[name] = sub.type === "array" ? [] : sub.type === "object" ? {} : "";
      }
      return item;
    }
    return "";
  }

  function move(path, index, action) {
    const items = (get(path) || []).slice();
    let focusIndex = index;
    if (action === "remove") {
      items.splice(index, 1);
      focusIndex = Math.min(index, items.length - 1);
    } else {
      const other = action === "up" ? index - 1 : index + 1;
      [items[index], items[other]] = [items[other], items[index]];
      focusIndex = other;
    }
    set(path, items);
    if (path[path.length - 1] === "choices") followAnswer(path.slice(0, -1), index, action);
    changed(path, true);
    rebuild(path, focusIndex >= 0 ? [...path, focusIndex] : path, action);
  }

  /* The answer names its choice by letter: when the choices move, it follows its choice;
     when its choice is removed, it is no longer set. */
  function followAnswer(question, index, action) {
    const answer = get([...question, "answer"]);
    if (typeof answer !== "string" || answer.length !== 1) return;
    const at = answer.toLowerCase().charCodeAt(0) - 97;
    let now = at;
    if (action === "remove") now = at === index ? -1 : at > index ? at - 1 : at;
    else {
      const other = action === "up" ? index - 1 : index + 1;
      now = at === index ? other : at === other ? index : at;
    }
    if (now !== at) set([...question, "answer"], now < 0 ? "" : letter(now));
  }

  /* Build a list again after a change of its items, keeping the focus on the moved item. */
  function rebuild(path, focusPath, action) {
    const old = document.getElementById(fieldId(path));
    const owner = schemaAt(path);
    const fresh = arrayBlock(owner.schema, path, owner.label, owner.description);
    old.replaceWith(fresh);
    if (path[path.length - 1] === "choices") {
      const answer = document.getElementById(fieldId([...path.slice(0, -1), "answer"]));
      if (answer) fillAnswer(answer);
    }
    let target = null;
    const item = document.getElementById(fieldId(focusPath));
    const li = item && item.closest("li.item");
    if (li && (action === "up" || action === "down")) {
      target = li.querySelector('.tools [data-action="' + action + '"]:not([disabled])') ||
        li.querySelector(".tools button:not([disabled])");
    } else if (li && action === "first") {
      target = li.querySelector("input, textarea, select");
    } else if (li) {
      target = li.querySelector('.tools [data-action="remove"]');
    }
    (target || fresh.querySelector(".add")).focus();
    showMessages(lastReport);
  }

  function schemaAt(path) {
    let s = schema;
    let own = schema;
    let name = "";
    for (const part of path) {
      s = resolve(s);
      if (typeof part === "number") { own = s.items; }
      else { own = s.properties[part]; name = part; }
      s = own;
    }
    const resolved = resolve(own);
    return { schema: resolved, label: labelText(name, resolved, path), description: describe(resolved, own, path) };
  }

  /* The sheet's parts: the numbered sections of the format ("1. …") each one, the fields
     before them the cover, the fields after them the rest. */
  function build() {
    form.replaceChildren();
    const parts = document.getElementById("parts");
    parts.replaceChildren();
    const required = schema.required || [];
    let group = null;
    let seenNumbered = false;
    const groups = [];
    for (const [name, own] of Object.entries(schema.properties)) {
      const number = /^(\d+)\./.exec(own.description || "");
      const numbered = number !== null;
      if (!group || numbered || (seenNumbered && !group.rest)) {
        const words = fields[name];
        const title = !numbered ? (seenNumbered ? W.more : W.cover) :
          words ? number[1] + ". " + words.label : own.description.replace(/\.$/, "");
        group = { title, rest: !numbered && seenNumbered, names: [], id: "part-" + (groups.length + 1) };
        groups.push(group);
      }
      seenNumbered = seenNumbered || numbered;
      group.names.push([name, own]);
    }
    for (const g of groups) {
      const section = el("section", { class: "part", id: g.id, "aria-labelledby": g.id + "-h" });
      section.append(el("h2", { id: g.id + "-h", text: g.title }));
      for (const [name, own] of g.names) section.append(field(name, own, [name], required.includes(name)));
      form.append(section);
      parts.append(el("li", {}, [el("a", { href: "#" + g.id, text: g.title })]));
    }
  }

  /* --- editing --- */
  form.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.path) return;
    const path = JSON.parse(input.dataset.path);
    const value = input.value;
    const inList = typeof path[path.length - 1] === "number";
    if (value === "" && !input.dataset.required && !inList) set(path, undefined, true);
    else set(path, value);
    const choice = path.length > 2 && path[path.length - 2] === "choices";
    if (choice) {
      const answer = document.getElementById(fieldId([...path.slice(0, -2), "answer"]));
      if (answer) fillAnswer(answer);
    }
    changed(path, false);
  });

  function changed() {
    dirty = true;
    saveButton.disabled = false;
    status.textContent = W.unsaved;
    try {
      localStorage.setItem(draftKey, JSON.stringify({ data: payload(), digest, time: new Date().toISOString() }));
    } catch (e) { /* a full or disabled storage: the page still works */ }
    clearTimeout(timer);
    timer = setTimeout(runCheck, CHECK_DELAY);
    // the preview beside the form (preview.js) makes the handouts again after a pause
    // (the form's data: the studio previews it written as a save would, at the saved lines)
    document.dispatchEvent(new CustomEvent("sheet-changed", { detail: { data: payload() } }));
  }

  /* The data to save: empty groups of fields the author never filled are left out. */
  function payload() {
    function prune(value, s) {
      s = resolve(s);
      if (Array.isArray(value)) return value.map((v) => prune(v, s.items || {}));
      if (value && typeof value === "object") {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
          const sub = s.properties ? s.properties[k] : {};
          const pruned = prune(v, sub || {});
          const needed = (s.required || []).includes(k);
          const empty = pruned && typeof pruned === "object" && Object.keys(pruned).length === 0;
          if (empty && !needed) continue;
          if (pruned === undefined) continue;
          out[k] = pruned;
        }
        return out;
      }
      return value;
    }
    return prune(data, schema);
  }

  async function post(what, body) {
    const response = await fetch(base + "/" + what, {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(Object.assign({ lang: document.documentElement.lang }, body)) });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = { error: await response.text() }; }
    return { status: response.status, answer };
  }

  async function runCheck() {
    const mine = ++checking;
    try {
      const { status: code, answer } = await post("check", { data: payload() });
      if (mine === checking && code === 200) showMessages(answer);
    } catch (e) {
      notice(W.offline, "error");
    }
  }

  /* --- messages at their fields --- */
  let lastReport = null;
  function showMessages(report) {
    if (!report) return;
    lastReport = report;
    for (const box of form.querySelectorAll(".messages")) box.replaceChildren();
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    for (const input of form.querySelectorAll("[data-path]")) {
      input.setAttribute("aria-describedby", input.dataset.describedby || "");
      if (!input.dataset.describedby) input.removeAttribute("aria-describedby");
    }
    const list = document.getElementById("summary-list");
    list.replaceChildren();
    const problems = report.errors.concat(report.warnings);
    let count = 0;
    for (const problem of problems) {
      count++;
      const holder = holderOf(problem.path);
      const messageId = "m-" + count;
      const kind = problem.severity === "warning" ? W.warning : W.error;
      const line = problem.line ? " (" + say(W.line, { line: problem.line }) + ")" : "";
      if (holder) {
        const box = holder.querySelector(":scope > .messages");
        box.append(el("p", { class: "message " + problem.severity, id: messageId },
          [el("strong", { text: kind + ": " }), problem.message]));
        const input = holder.matches(".field") ? holder.querySelector("[data-path]") : null;
        if (input) {
          input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + messageId).trim());
          if (problem.severity !== "warning") input.setAttribute("aria-invalid", "true");
        }
      }
      const where = problem.path ? problem.path + ": " : "";
      const item = el("li", { class: problem.severity });
      const target = holder ? holder.querySelector("[data-path]") || holder : null;
      if (target && target.id) {
        const link = el("a", { href: "#" + target.id, text: kind + line + " – " + where + problem.message });
        item.append(link);
      } else {
        item.textContent = kind + line + " – " + where + problem.message;
      }
      list.append(item);
    }
    if (report.unlisted) list.append(el("li", { text: say(W.more_problems, { count: report.unlisted }) }));
    const title = document.getElementById("summary-title");
    title.textContent = report.summary; // counted by the studio, in the language's plural forms
    document.getElementById("summary").className = "summary " +
      (report.errors.length ? "has-errors" : report.warnings.length ? "has-warnings" : "ok");
  }

  /* The field a problem's path names, or the nearest group that holds it. */
  function holderOf(path) {
    let current = path || "";
    while (current) {
      const found = form.querySelector('[data-field="' + CSS.escape(current) + '"]');
      if (found) return found;
      const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
      current = cut > 0 ? current.slice(0, cut) : "";
    }
    return null;
  }

  /* --- saving --- */
  async function save(overwrite) {
    clearTimeout(timer);
    status.textContent = W.saving;
    let result;
    try {
      result = await post("save", { data: payload(), digest, overwrite: overwrite === true });
    } catch (e) {
      status.textContent = W.unsaved;
      notice(W.offline, "error");
      return;
    }
    if (result.status === 409) {
      status.textContent = W.unsaved;
      conflict(result.answer.conflict);
      return;
    }
    if (result.status !== 200) {
      status.textContent = W.unsaved;
      notice(say(W.save_failed, { message: result.answer.error || result.status }), "error");
      return;
    }
    digest = result.answer.digest;
    dirty = false;
    saveButton.disabled = true;
    try { localStorage.removeItem(draftKey); } catch (e) { /* nothing kept */ }
    notices.replaceChildren();
    status.textContent = result.answer.check.valid ? W.saved : W.saved_invalid;
    showMessages(result.answer.check);
  }
  saveButton.addEventListener("click", () => save(false));
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      save(false);
    }
  });

  function notice(text, kind, buttons) {
    const box = el("div", { class: "notice " + (kind || ""), role: kind === "error" ? "alert" : "status" },
      [el("p", { text })]);
    if (buttons) {
      const row = el("div", { class: "notice-buttons" });
      for (const [word, action] of buttons) {
        const b = el("button", { type: "button", text: word });
        b.addEventListener("click", () => { box.remove(); action(); });
        row.append(b);
      }
      box.append(row);
    }
    notices.replaceChildren(box);
    const first = box.querySelector("button");
    if (first) first.focus();
    return box;
  }

  function conflict(message) {
    void message; // the server's words are English: the page says it in the studio's language
    notice(W.conflict, "error", [
      [W.reload, () => { try { localStorage.removeItem(draftKey); } catch (e) { /* */ } dirty = false; load(false); }],
      [W.keep_mine, () => save(true)],
    ]);
  }

  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  /* --- loading --- */
  async function load(offerDraft) {
    const response = await fetch(base + "/data");
    const answer = await response.json();
    if (response.status !== 200 || answer.data === null || typeof answer.data !== "object") {
      notice(W.unreadable + " " + (answer.error || ""), "error");
      return;
    }
    schema = answer.schema;
    fields = answer.fields || {};
    data = answer.data;
    digest = answer.digest;
    dirty = false;
    saveButton.disabled = true;
    status.textContent = "";
    build();
    showMessages(answer.check);
    if (offerDraft) offerKeptDraft(answer.data);
  }

  function offerKeptDraft(loaded) {
    let kept = null;
    try { kept = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.data) return;
    if (JSON.stringify(kept.data) === JSON.stringify(payload())) {
      try { localStorage.removeItem(draftKey); } catch (e) { /* */ }
      return;
    }
    const time = new Date(kept.time).toLocaleString(document.documentElement.lang);
    notice(say(W.draft_found, { time }), "draft", [
      [W.restore, () => { data = kept.data; digest = kept.digest || digest; build(); changed(); document.getElementById("sheet-form").querySelector("input, textarea, select").focus(); }],
      [W.discard, () => { try { localStorage.removeItem(draftKey); } catch (e) { /* */ } }],
    ]);
    void loaded;
  }

  load(true);
})();
