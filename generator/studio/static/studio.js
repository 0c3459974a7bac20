// The studio's common script (no inline script: the Content-Security-Policy forbids it).
// `studio.token` is the CSRF token every request that changes something sends; `studio.post`
// sends one. A page too large for the importer is refused before it is sent.
"use strict";
window.studio = (function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.content : "";

  function post(url, body, headers) {
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: Object.assign({"X-CSRF-Token": token}, headers || {})});
  }

  document.querySelectorAll("form[data-max-bytes]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const limit = Number(form.dataset.maxBytes);
      const input = form.querySelector('input[type="file"]');
      const file = input && input.files && input.files[0];
      if (file && file.size > limit) {
        event.preventDefault();
        let message = form.querySelector(".message.size");
        if (!message) {
          message = document.createElement("p");
          message.className = "message error size";
          message.setAttribute("role", "alert");
          input.insertAdjacentElement("afterend", message);
        }
        message.textContent = form.dataset.tooLarge;
        input.focus();
      }
    });
  });

  // A form refused by the studio comes back with its message marked `data-focus`: the
  // keyboard's focus goes there, so that it is read out first and Tab goes on to the fields.
  const refused = document.querySelector("[data-focus]");
  if (refused) {
    refused.focus();
  }

  return {token: token, post: post};
})();
