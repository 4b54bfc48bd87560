// The countdown on the taking page. The server enforces the deadline; this only shows it.
(function () {
  function tick(el) {
    var left = Math.max(0, Math.floor((Date.parse(el.dataset.deadline) - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0 && el.dataset.done) { window.location.href = el.dataset.done; return; }
    setTimeout(function () { tick(el); }, 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-deadline]").forEach(tick);
    // Light sign-in: picking a unit from the search results fills the hidden field.
    document.body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-unit-id]");
      if (!button) return;
      event.preventDefault();
      document.getElementById("id_unit").value = button.dataset.unitId;
      document.getElementById("unit-picked").textContent = button.dataset.unitName;
      document.getElementById("unit-results").innerHTML = "";
    });
  });
})();
