/* Draws every <canvas data-chart="..."> with the vendored Chart.js from the JSON that
   advocacy_portal/charts.py produced (rendered with json_script). Without JavaScript the table
   beside each chart carries the same figures. */
(function () {
  "use strict";
  const ink = "#1f2937";
  const grid = "#e5e7eb";

  function build(spec) {
    const datasets = spec.datasets.map((set) => ({
      label: set.label,
      data: set.data,
      backgroundColor: set.colors || set.color,
      borderColor: set.colors || set.color,
      borderWidth: 0,
      borderRadius: 3,
      maxBarThickness: 28,
    }));
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: {
          x: { ticks: { color: ink, autoSkip: true, maxRotation: 0, font: { size: 12 }, precision: 0 }, grid: { color: grid }, beginAtZero: true },
          y: { ticks: { color: ink, autoSkip: !spec.horizontal, font: { size: 12 }, precision: 0 }, grid: { color: grid }, beginAtZero: true },
        },
      },
    };
  }

  function drawAll() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      const spec = JSON.parse(source.textContent);
      if (spec.horizontal) {
        canvas.parentElement.style.height = Math.max(160, spec.labels.length * 34 + 50) + "px";
      }
      new window.Chart(canvas, build(spec));
      canvas.dataset.rendered = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
