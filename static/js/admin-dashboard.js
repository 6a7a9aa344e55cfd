/* The back-office work dashboard's charts (templates/admin/sipi_index.html).
 * Data comes from json_script blocks rendered by the server (backoffice/dashboard.py); Chart.js is
 * vendored in static/vendor/chartjs (no CDN). No inline script: the page's CSP allows none. */
(function () {
  "use strict";

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function textColour() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--body-fg");
    return (value && value.trim()) || "#333";
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return; // the tables under each chart still hold the figures
    }
    var Chart = window.Chart;
    Chart.defaults.color = textColour();
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;

    var requests = readData("chart-requests-data");
    var requestCanvas = document.getElementById("chart-requests");
    if (requests && requestCanvas) {
      new Chart(requestCanvas, {
        type: "bar",
        data: {
          labels: requests.labels,
          datasets: requests.datasets.map(function (ds) {
            return { label: ds.label, data: ds.data, backgroundColor: ds.color };
          }),
        },
        options: {
          maintainAspectRatio: false,
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        },
      });
    }

    var units = readData("chart-units-data");
    var unitCanvas = document.getElementById("chart-units");
    if (units && unitCanvas) {
      new Chart(unitCanvas, {
        type: "bar",
        data: {
          labels: units.labels,
          datasets: [{ label: units.title, data: units.data, backgroundColor: "#417690" }],
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: false } },
        },
      });
    }
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
