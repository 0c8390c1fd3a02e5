/* The monitor's charts: Vega-Lite specs drawn by the offline vega-embed bundle the app serves
   itself (no CDN). Each chart loads when it scrolls into view; a map also loads the municipal
   boundaries (once per page). The tables beside the charts hold the same figures, so nothing
   is lost without JavaScript. */
(function () {
  "use strict";
  var shared = {};

  function getJson(url) {
    if (!shared[url]) {
      shared[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
    }
    return shared[url];
  }

  function draw(element) {
    if (element.getAttribute("data-state")) { return; }
    element.setAttribute("data-state", "loading");
    var boundaries = element.getAttribute("data-boundaries");
    var jobs = [fetch(element.getAttribute("data-spec"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })];
    if (boundaries) { jobs.push(getJson(boundaries)); }
    Promise.all(jobs).then(function (loaded) {
      var spec = loaded[0];
      if (boundaries) {
        spec.datasets = spec.datasets || {};
        spec.datasets.boundaries = loaded[1];  // by reference: one copy per page
      }
      // ast: Vega's expression interpreter instead of generated functions (the
      // Content-Security-Policy allows no eval); no injected <style> elements either: the
      // embed and tooltip styles are in monitor.css.
      return window.vegaEmbed(element, spec, {
        actions: false, renderer: "svg", ast: true, defaultStyle: false,
        tooltip: { disableDefaultStyle: true }
      });
    }).then(function () {
      element.setAttribute("data-state", "done");
      // The container is the image with its name; the table below carries the figures.
      var svg = element.querySelector("svg");
      if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
    }).catch(function (error) {
      element.setAttribute("data-state", "failed");
      if (window.console) { window.console.error(error); }
    });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var charts = Array.prototype.slice.call(document.querySelectorAll(".ks-vega[data-spec]"));
    if (!("IntersectionObserver" in window)) { charts.forEach(draw); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
