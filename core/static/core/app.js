/* xuejiao: what every page does in the browser (no inline script: the CSP forbids it).

   1. The server checks every form and says what is wrong in the reader's language, next to the
      field. The browser's own checks would speak the browser's language instead (and a number
      input silently drops letters, so the server would answer "required" where the person typed
      "abc"): forms are not validated by the browser, and number inputs become text inputs with
      a numeric keyboard.
   2. Switching language reloads the page: what was typed in the page's forms is kept in
      sessionStorage on the switch and put back once the page comes back. Passwords, files and
      hidden fields are never kept. */
(function () {
  "use strict";
  var KEY = "xuejiao:typed:";

  function serverValidates(root) {
    root.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
    root.querySelectorAll("input[type=number]").forEach(function (input) {
      // The browser emptied a refused value ("abc") that the server sent back: show it again.
      input.type = "text";
      if (input.value === "" && input.hasAttribute("value")) input.value = input.getAttribute("value");
      if (!input.hasAttribute("inputmode")) input.setAttribute("inputmode", "numeric");
    });
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled) return false;
      var type = (el.type || "").toLowerCase();
      return ["password", "file", "hidden", "submit", "button", "reset"].indexOf(type) < 0;
    });
  }

  function pageForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return !form.closest("header.site-header");
    });
  }

  function remember() {
    var typed = pageForms().map(function (form) {
      return keptFields(form).map(function (el) {
        if (el.type === "checkbox" || el.type === "radio") return [el.name, el.value, el.checked];
        if (el.multiple) return [el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; })];
        return [el.name, el.value];
      });
    });
    try { sessionStorage.setItem(KEY + location.pathname + location.search, JSON.stringify(typed)); } catch (e) { /* storage off: nothing kept */ }
  }

  function restore() {
    var key = KEY + location.pathname + location.search, typed;
    try { typed = JSON.parse(sessionStorage.getItem(key) || "null"); sessionStorage.removeItem(key); } catch (e) { return; }
    if (!typed) return;
    pageForms().forEach(function (form, i) {
      var values = typed[i] || [], fields = keptFields(form);
      values.forEach(function (entry, j) {
        var el = fields[j];
        if (!el || el.name !== entry[0]) return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = entry[2];
        else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = entry[1].indexOf(o.value) >= 0; });
        else el.value = entry[1];
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    serverValidates(document);
    restore();
    var switcher = document.querySelector("form.lang-form");
    if (switcher) switcher.addEventListener("submit", remember);
  });
  document.addEventListener("htmx:load", function (event) { serverValidates(event.target); });
})();
