/*
 * The console's charts (served as /admin/assets/console.js). The numbers come from
 * /admin/api/summary (same origin, the session cookie); every word comes from labels.yaml (the
 * #labels block) or from the summary itself, so this file holds no text a person reads.
 * The tables beside the charts are filled in by the server and stay the reference.
 */
(function () {
  'use strict';
  var labels = JSON.parse(document.getElementById('labels').textContent);
  var C = labels.chart;
  var GREEN = '#1e8a4c', RED = '#c0392b', BLUE = '#2d6cb5', GREY = '#9aa3ad', AMBER = '#d68a00';

  function problem() {
    document.getElementById('chart-problem').hidden = false;
  }
  if (typeof window.Chart !== 'function') return problem();
  var Chart = window.Chart;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#333';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  Chart.defaults.datasets.bar.maxBarThickness = 28;

  var integerAxis = { beginAtZero: true, ticks: { precision: 0 } };

  function bars(id, names, datasets, opts) {
    opts = opts || {};
    var horizontal = !!opts.horizontal;
    var scales = {};
    scales[horizontal ? 'x' : 'y'] = Object.assign({ stacked: !!opts.stacked }, integerAxis);
    scales[horizontal ? 'y' : 'x'] = Object.assign({ stacked: !!opts.stacked }, opts.categoryAxis || {});
    if (opts.extraScales) Object.assign(scales, opts.extraScales);
    return new Chart(document.getElementById(id), {
      type: 'bar',
      data: { labels: names, datasets: datasets },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        scales: scales,
        plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
      },
    });
  }

  function draw(s) {
    var days = s.byDay;
    var running = 0;
    var cumulative = days.map(function (d) { running += d.passed; return d.future ? null : running; });
    bars('chart-days', days.map(function (d) { return d.date.slice(5); }), [
      { label: C.passedPerDay, data: days.map(function (d) { return d.passed; }), backgroundColor: GREEN, stack: 'day', yAxisID: 'y' },
      { label: C.failedPerDay, data: days.map(function (d) { return d.failed; }), backgroundColor: RED, stack: 'day', yAxisID: 'y' },
      { type: 'line', label: C.cumulative, data: cumulative, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 2, yAxisID: 'total' },
    ], {
      stacked: true,
      categoryAxis: { ticks: { maxRotation: 0, autoSkip: true, color: function (c) { return days[c.index] && days[c.index].future ? GREY : '#333'; } } },
      extraScales: { total: Object.assign({ position: 'right', grid: { drawOnChartArea: false } }, integerAxis) },
    });

    bars('chart-funnel', s.funnel.map(function (f) { return f.label; }), [
      { label: C.reached, data: s.funnel.map(function (f) { return f.count; }), backgroundColor: BLUE },
    ], { horizontal: true });

    bars('chart-category', s.byCategory.map(function (c) { return c.label; }), [
      { label: labels.totals.linkIssued, data: s.byCategory.map(function (c) { return c.linkIssued; }), backgroundColor: BLUE },
      { label: labels.totals.passed, data: s.byCategory.map(function (c) { return c.passed; }), backgroundColor: GREEN },
      { label: labels.totals.failed, data: s.byCategory.map(function (c) { return c.failed; }), backgroundColor: RED },
    ], { horizontal: true });

    bars('chart-failures', s.failures.map(function (f) { return f.label; }), [
      { label: C.count, data: s.failures.map(function (f) { return f.count; }), backgroundColor: RED },
    ], { horizontal: true });

    var q = s.questions;
    bars('chart-questions', [labels.questions.answered, labels.questions.suggested, labels.questions.unanswered], [
      { label: C.count, data: [q.answered, q.suggested, q.unanswered], backgroundColor: [GREEN, AMBER, RED] },
    ], { horizontal: true });
    document.body.setAttribute('data-charts', 'drawn');
  }

  fetch('/admin/api/summary', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (r) { if (!r.ok) throw new Error('summary ' + r.status); return r.json(); })
    .then(draw)
    .catch(problem);
})();
