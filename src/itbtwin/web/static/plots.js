// Draws the twin's figures from the page's JSON block with the locally served Plotly.
(function () {
  var data = document.getElementById("twin-figures");
  if (!data || !window.Plotly) { return; }
  var figures = JSON.parse(data.textContent);
  figures.forEach(function (figure, i) {
    var target = document.getElementById("plot-" + i);
    if (target) { Plotly.newPlot(target, figure.data, figure.layout, {responsive: true, displaylogo: false}); }
  });
})();
