// The defined-indicator form shows the fields that apply to what is chosen: the kinds of
// activity and the ledger's filters for the ledger, the states of the chosen kind of record
// for the tallies, the two codes for a percentage. Without the script every field shows and
// the server says which do not apply.
(function () {
  "use strict";
  var LEDGER_ONLY = ["kinds", "venue_kind", "language", "outlet_level", "target"];
  var RATE_ONLY = ["numerator", "denominator"];

  function block(name) {
    return document.querySelector("[data-field-block='" + name + "']");
  }

  function show(name, shown) {
    var el = block(name);
    // A field the server refused stays in sight with its message.
    if (el) el.hidden = !shown && !el.querySelector(".errorlist");
  }

  function update() {
    var source = document.getElementById("id_source");
    var measure = document.getElementById("id_measure");
    if (!source || !measure) return;
    var ledger = source.value === "ledger.activity" || source.value === "";
    var rate = measure.value === "rate";
    LEDGER_ONLY.forEach(function (n) { show(n, ledger && !rate); });
    RATE_ONLY.forEach(function (n) { show(n, rate); });
    show("source", !rate);
    var keys = block("keys");
    if (!keys) return;
    var any = false;
    keys.querySelectorAll("input[name=keys]").forEach(function (input) {
      var mine = input.value.indexOf(source.value + ":") === 0;
      var option = input.closest("label") ? input.closest("label").parentElement : input.parentElement;
      option.hidden = !mine;
      if (!mine) input.checked = false;
      any = any || mine;
    });
    // A group's heading shows with its own options only.
    keys.querySelectorAll("#id_keys > div").forEach(function (group) {
      var inputs = group.querySelectorAll("input[name=keys]");
      var visible = Array.prototype.some.call(inputs, function (i) { return i.value.indexOf(source.value + ":") === 0; });
      group.hidden = !visible;
    });
    keys.hidden = rate || ledger || !any;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("id_source");
    var measure = document.getElementById("id_measure");
    if (!source || !measure) return;
    source.addEventListener("change", update);
    measure.addEventListener("change", update);
    update();
  });
})();
