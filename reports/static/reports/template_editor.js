// The report template's sentence editor: insert a figure marker {code|style|measure} at the
// cursor of the Chinese and of the Tibetan sentence, each with its own measure word.
(function () {
  "use strict";
  function insert(area, text) {
    var start = area.selectionStart != null ? area.selectionStart : area.value.length;
    var end = area.selectionEnd != null ? area.selectionEnd : start;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function marker(code, style, measure) {
    return "{" + code + "|" + style + (measure ? "|" + measure : "") + "}";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-figure]");
    if (!button) return;
    var form = button.closest("form");
    var code = form.querySelector("[name=figure-code]").value;
    var style = form.querySelector("[name=figure-style]").value;
    if (!code) return;
    insert(form.querySelector("[name=zh]"), marker(code, style, form.querySelector("[name=figure-measure_zh]").value.trim()));
    insert(form.querySelector("[name=bo]"), marker(code, style, form.querySelector("[name=figure-measure_bo]").value.trim()));
  });
})();
