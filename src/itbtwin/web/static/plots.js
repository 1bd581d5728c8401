// Fetches the twin's figures for the patient page and draws them with the locally served Plotly.
(function () {
  var twin = document.getElementById("twin");
  var status = document.getElementById("twin-status");
  if (!twin || !window.Plotly || !window.fetch) { return; }
  fetch(twin.getAttribute("data-src"), {credentials: "same-origin"})
    .then(function (response) { return response.json(); })
    .then(function (figures) {
      if (figures.error) { status.textContent = figures.error; status.className = "error"; return; }
      status.remove();
      figures.forEach(function (figure, i) {
        var target = document.getElementById("plot-" + i);
        if (target) { Plotly.newPlot(target, figure.data, figure.layout, {responsive: true, displaylogo: false}); }
      });
    })
    .catch(function () { status.textContent = "The twin's plots could not be loaded."; });
})();
