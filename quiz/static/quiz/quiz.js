// The countdown on the taking page. The server enforces the deadline; this only shows it.
(function () {
  function tick(el) {
    var left = Math.max(0, Math.floor((Date.parse(el.dataset.deadline) - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0 && el.dataset.done) { window.location.href = el.dataset.done; return; }
    setTimeout(function () { tick(el); }, 1000);
  }

  function clear(id) {
    var el = document.getElementById(id);
    if (el) el.replaceChildren();
  }

  // Light sign-in: a unit chosen from the search results or from the tree fills the hidden
  // field; both lists close and the next field gets the focus.
  function choose(button) {
    var field = document.getElementById("id_unit");
    if (!field) return;
    field.value = button.dataset.unitId;
    document.getElementById("unit-picked").textContent = button.dataset.unitName;
    clear("unit-results");
    clear("unit-tree");
    var search = document.getElementById("unit-search");
    if (search) search.value = "";
    var code = document.getElementById("id_code");
    if (code) code.focus();
  }

  // A list that could not be fetched says so in its place (the server's words for "too
  // many requests", the page's own for a dropped connection) instead of staying silent.
  function failed(event) {
    var target = event.detail.target;
    if (!target || !target.dataset || !target.dataset.error) return;
    var xhr = event.detail.xhr;
    var note = document.createElement("p");
    note.className = "error";
    note.setAttribute("role", "alert");
    note.textContent = xhr && xhr.status === 429 && xhr.responseText ? xhr.responseText : target.dataset.error;
    target.replaceChildren(note);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-deadline]").forEach(tick);
    document.body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-unit-id]");
      if (!button) return;
      event.preventDefault();
      choose(button);
    });
    // Enter in the unit search looks for units; it must not send the half-filled form.
    var search = document.getElementById("unit-search");
    if (search) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    }
    // A new level of the tree takes the focus, so that keyboards and screen readers follow.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id !== "unit-tree") return;
      var title = event.detail.target.querySelector("[data-level-title]");
      if (title) title.focus();
    });
    document.body.addEventListener("htmx:responseError", failed);
    document.body.addEventListener("htmx:sendError", failed);
  });
})();
