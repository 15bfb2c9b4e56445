/* The dashboard's chart: poverty and near-poverty rates per commune (ECharts, vendored), from the JSON that the
   page embeds with json_script. Without JavaScript the table below shows the same figures. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-chart-data");
  var box = document.getElementById("dashboard-chart");
  if (!node || !box || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(node.textContent);
  var labels = data.labels;
  var number = function (value, digits) {
    return value === null || value === undefined
      ? "—"
      : Number(value).toLocaleString("vi-VN", { maximumFractionDigits: digits || 0 });
  };
  // One bar per commune, stacked poor + near-poor; the box grows with the number of communes.
  box.style.height = Math.max(220, data.communes.length * 30 + 90) + "px";
  var chart = window.echarts.init(box, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    color: ["#b3261e", "#e0a030"],
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 28, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        var index = items[0].dataIndex;
        return [
          "<strong>" + data.communes[index] + "</strong>",
          labels.poor + ": " + number(data.poor[index]) + " " + labels.households +
            " (" + number(data.poor_rate[index], 2) + " %)",
          labels.near_poor + ": " + number(data.near_poor[index]) + " " + labels.households +
            " (" + number(data.near_poor_rate[index], 2) + " %)",
          labels.of + " " + number(data.total[index]) + " " + labels.households,
        ].join("<br>");
      },
    },
    xAxis: {
      type: "value",
      name: labels.rate,
      nameLocation: "middle",
      nameGap: 24,
      axisLabel: { formatter: function (value) { return number(value, 1); } },
    },
    yAxis: { type: "category", data: data.communes, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
    series: [
      { name: labels.poor, type: "bar", stack: "rate", barMaxWidth: 28, data: data.poor_rate },
      { name: labels.near_poor, type: "bar", stack: "rate", barMaxWidth: 28, data: data.near_poor_rate },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
