/* Dashboard charts (ECharts, vendored). The data comes from a JSON block rendered with
   Django's json_script (not executed, so the strict CSP holds); every point carries the URL
   of the rows behind it and a click opens them. Charts are drawn by the SVG renderer and
   tooltips as rich text inside that SVG: ECharts' HTML tooltips are markup with style
   attributes, which the policy (style-src 'self') blocks. */
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("dashboard-data");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    var narrow = window.innerWidth < 600;
    data.charts.forEach(function (chart) {
      var el = document.querySelector('[data-chart="' + chart.id + '"]');
      if (!el) { return; }
      var instance = window.echarts.init(el, null, { renderer: "svg" });
      var option;
      if (chart.type === "funnel") {
        option = {
          tooltip: { trigger: "item", renderMode: "richText" },
          series: [{ type: "funnel", sort: "descending", left: "5%", width: "90%", label: { show: true, formatter: "{b}: {c}" }, data: chart.series[0].data }]
        };
      } else {
        option = {
          tooltip: { trigger: chart.type === "line" ? "axis" : "item", confine: true, renderMode: "richText" },
          legend: { type: "scroll", top: 0 },
          grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: chart.x, axisLabel: { rotate: narrow || chart.type === "bar" ? 45 : 0, fontSize: narrow ? 10 : 12 } },
          yAxis: { type: "value" },
          series: chart.series.map(function (s) {
            return { name: s.name, type: chart.type, data: s.data, smooth: chart.type === "line" };
          })
        };
      }
      // Ready once drawn to the end of its animation, so that what a reader (or a test)
      // points at is where it stays.
      instance.on("finished", function () { el.setAttribute("data-ready", "1"); });
      instance.setOption(option);
      instance.on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
