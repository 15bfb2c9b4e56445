/* The year-end summary's charts (ECharts, vendored), from the JSON the page embeds with json_script; the tables
   beside them show the same figures without JavaScript. */
(function () {
  "use strict";
  var node = document.getElementById("summary-charts");
  if (!node || typeof window.echarts === "undefined") {
    return;
  }
  var charts = JSON.parse(node.textContent);
  var boxes = document.querySelectorAll(".summary-chart");
  var drawn = [];
  boxes.forEach(function (box, index) {
    var data = charts[index];
    if (!data) {
      return;
    }
    box.style.height = Math.max(200, data.labels.length * 34 + 80) + "px";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: data.title, textStyle: { fontSize: 13 } },
      legend: { top: 22 },
      grid: { left: 8, right: 32, top: 52, bottom: 30, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: data.unit, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", barMaxWidth: 24, data: s.data };
      }),
    });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
