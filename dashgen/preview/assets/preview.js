/* dashgen preview: draws every panel of the page from the embedded view model (#dg-model) and data (#dg-data).
   Hand-written, no library but uPlot (inlined before this script). After drawing, each panel element says what
   it drew (data-drawn, data-series, ...), and <body data-ready="1"> says the page is done. #panel=<id> draws
   that panel alone at its pixel size (the PNG of a changed panel). */
(function () {
  "use strict";

  var model = JSON.parse(document.getElementById("dg-model").textContent);
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var UTC = model.timezone === "utc" || model.timezone === "";

  // Grafana's named colours (dark theme) and its classic palette
  var COLORS = {
    green: "#73BF69", red: "#F2495C", yellow: "#FADE2A", orange: "#FF9830", blue: "#5794F2", purple: "#B877D9",
    "dark-green": "#37872D", "dark-red": "#C4162A", "dark-yellow": "#E0B400", "dark-orange": "#FA6400",
    "dark-blue": "#1F60C4", "dark-purple": "#8F3BB8", "semi-dark-green": "#56A64B", "semi-dark-red": "#E02F44",
    "semi-dark-yellow": "#F2CC0C", "semi-dark-orange": "#FF780A", "semi-dark-blue": "#3274D9",
    "light-green": "#96D98D", "light-red": "#FF7383", "light-yellow": "#FFEE52", "light-orange": "#FFB357",
    "light-blue": "#8AB8FF", text: "#ccccdc", transparent: "rgba(0,0,0,0)"
  };
  var PALETTE = ["#7EB26D", "#EAB839", "#6ED0E0", "#EF843C", "#E24D42", "#1F78C1", "#BA43A9", "#705DA0",
                 "#508642", "#CCA300", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477"];
  var AXIS = "rgba(204,204,220,0.65)";
  var GRID = "rgba(204,204,220,0.08)";

  function color(name) { return COLORS[name] || name; }

  function alpha(hex, opacity) {
    var m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) { return hex; }
    var n = parseInt(m[1], 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + opacity + ")";
  }

  // ---------------------------------------------------------------------------------------- units, as Grafana
  function autoDecimals(v) {  // @grafana/data getDecimalsForValue
    if (v === 0 || !isFinite(v)) { return 0; }
    var dec = -Math.floor(Math.log(Math.abs(v)) / Math.LN10) + 1;
    if (v / Math.pow(10, -dec) > 2.25) { dec += 1; }
    if (v % 1 === 0) { dec = 0; }
    return Math.max(0, Math.min(dec, 10));
  }

  function fixed(v, decimals) {
    var d = decimals === null || decimals === undefined ? autoDecimals(v) : decimals;
    return v.toFixed(d);
  }

  function scaled(v, decimals, factor, suffixes) {
    var i = 0;
    while (Math.abs(v) >= factor && i < suffixes.length - 1) { v /= factor; i += 1; }
    return fixed(v, decimals) + suffixes[i];
  }

  var SHORT = ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept"];
  var SI = ["", " k", " M", " G", " T", " P"];
  var MONEY = ["", "K", "M", "B", "T"];
  var CURRENCIES = { currencyUSD: "$", currencyEUR: "\u20ac", currencyGBP: "\u00a3", currencyJPY: "\u00a5",
                     currencyCHF: "CHF ", currencyBTC: "\u0e3f" };

  function seconds(v, decimals) {  // Grafana's toSeconds
    var a = Math.abs(v);
    if (a < 1) { return fixed(v * 1000, decimals) + " ms"; }
    if (a < 60) { return fixed(v, decimals) + " s"; }
    if (a < 3600) { return fixed(v / 60, decimals) + " min"; }
    if (a < 86400) { return fixed(v / 3600, decimals) + " hour"; }
    if (a < 604800) { return fixed(v / 86400, decimals) + " day"; }
    if (a < 31536000) { return fixed(v / 604800, decimals) + " week"; }
    return fixed(v / 31536000, decimals) + " year";
  }

  function format(v, unit, decimals) {
    if (v === null || v === undefined || !isFinite(v)) { return "No data"; }
    unit = unit || "short";
    if (unit.indexOf("suffix:") === 0) { return fixed(v, decimals) + " " + unit.slice(7).trim(); }
    if (unit.indexOf("prefix:") === 0) { return unit.slice(7).trim() + fixed(v, decimals); }
    if (unit.indexOf("currency:") === 0) { return unit.slice(9).trim() + scaled(v, decimals, 1000, MONEY); }
    if (CURRENCIES[unit]) { return CURRENCIES[unit] + scaled(v, decimals, 1000, MONEY); }
    switch (unit) {
      case "none": return fixed(v, decimals);
      case "percent": return fixed(v, decimals) + "%";
      case "percentunit": return fixed(v * 100, decimals) + "%";
      case "s": return seconds(v, decimals);
      case "ms": return seconds(v / 1000, decimals);
      case "bps": return scaled(v, decimals, 1000, SI) + "b/s";
      case "Bps": return scaled(v, decimals, 1000, SI) + "B/s";
      case "bytes": return scaled(v, decimals, 1024, [" B", " KiB", " MiB", " GiB", " TiB"]);
      case "dateTimeAsIso": return isoTime(v * 1000);
      default: return scaled(v, decimals, 1000, SHORT);  // short, and units the page does not know
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function isoTime(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  // --------------------------------------------------------------------------------------------- helpers
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function last(series) {
    for (var i = series.values.length - 1; i >= 0; i -= 1) {
      if (series.values[i] !== null) { return series.values[i]; }
    }
    return null;
  }

  function thresholdColor(panel, v, low, high) {
    var steps = panel.thresholds.steps;
    var found = steps.length ? steps[0].color : "green";
    if (v === null) { return color(found); }
    var x = v;
    if (panel.thresholds.mode === "percentage") {
      x = high > low ? (v - low) / (high - low) * 100 : 0;
    }
    for (var i = 1; i < steps.length; i += 1) {
      if (steps[i].value !== null && x >= steps[i].value) { found = steps[i].color; }
    }
    return color(found);
  }

  function matches(override, name) {
    if (override.matcher === "byName") { return override.pattern === name; }
    if (override.matcher === "byRegexp") {
      try { return new RegExp("^(?:" + override.pattern + ")$").test(name); } catch (e) { return false; }
    }
    return false;
  }

  function fieldOptions(panel, name) {  // what the overrides set for the field of this name
    var out = {};
    panel.overrides.forEach(function (o) {
      if (matches(o, name)) {
        ["dashed", "color", "unit", "decimals", "displayName"].forEach(function (k) {
          if (o[k] !== undefined) { out[k] = o[k]; }
        });
      }
    });
    return out;
  }

  function range(panel, values) {
    var present = values.filter(function (v) { return v !== null; });
    var low = panel.min !== null && panel.min !== undefined ? panel.min : Math.min(0, Math.min.apply(null, present));
    var high = panel.max !== null && panel.max !== undefined ? panel.max : Math.max.apply(null, present);
    if (!(high > low)) { high = low + 1; }
    return [low, high];
  }

  function size(body) { return { width: Math.max(body.clientWidth - 16, 50), height: Math.max(body.clientHeight - 8, 40) }; }

  function aligned(series) {  // uPlot's data: one x array (the union of times), one y array per series
    var times = {};
    series.forEach(function (s) { s.times.forEach(function (t) { times[t] = true; }); });
    var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
    var at = {};
    xs.forEach(function (t, i) { at[t] = i; });
    var ys = series.map(function (s) {
      var y = xs.map(function () { return null; });
      s.times.forEach(function (t, i) { y[at[t]] = s.values[i]; });
      return y;
    });
    return [xs].concat(ys);
  }

  function timeAxis() {  // Grafana's time ticks: HH:mm within a day, MM/DD HH:mm or MM/DD beyond
    return {
      stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
      values: function (u, splits) {
        var span = u.scales.x.max - u.scales.x.min;
        return splits.map(function (ts) {
          var d = new Date(ts * 1000);
          var hm = UTC ? pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) : pad(d.getHours()) + ":" + pad(d.getMinutes());
          var md = UTC ? pad(d.getUTCMonth() + 1) + "/" + pad(d.getUTCDate()) : pad(d.getMonth() + 1) + "/" + pad(d.getDate());
          return span > 3 * 86400 ? md : span > 86400 ? md + " " + hm : hm;
        });
      }
    };
  }

  function valueAxis(unit, decimals) {
    return {
      stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
      size: function (u, values) {  // as wide as the longest tick label
        var longest = (values || []).reduce(function (n, v) { return Math.max(n, String(v).length); }, 4);
        return Math.ceil(longest * 8 + 24);
      },
      values: function (u, splits) {
        var d = decimals;
        if (d === null || d === undefined) {  // as many decimals as the tick step needs, the same for every tick
          var step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
          for (d = 0; d < 10 && Math.abs(Math.round(step * Math.pow(10, d)) - step * Math.pow(10, d)) > 1e-6; d += 1) { /* more */ }
          if (unit === "percentunit") { d = Math.max(0, d - 2); }
          if (["short", "s", "ms", "bytes", "bps", "Bps"].indexOf(unit) >= 0 || CURRENCIES[unit] || unit.indexOf("currency:") === 0) { d = null; }
        }
        return splits.map(function (v) { return format(v, unit, d); });
      }
    };
  }

  function plotOptions(body, panel, series, axes, hooks) {
    var box = size(body);
    var opts = {
      width: box.width, height: box.height, series: series, axes: axes,
      scales: { x: { time: true } },
      legend: { show: panel.legend.show && panel.legend.displayMode !== "hidden", live: false },
      cursor: { show: false }, hooks: hooks || {}
    };
    if (UTC) { opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); }; }
    if (data.start < data.end) { opts.scales.x.range = function () { return [data.start, data.end]; }; }
    return opts;
  }

  function fitLegend(plot, body) {  // uPlot's height is the plot's; leave the legend its room (it reflows once)
    var legend = plot.root.querySelector(".u-legend");
    var box = size(body);
    for (var i = 0; i < 3; i += 1) {
      var height = Math.max(box.height - (legend ? legend.offsetHeight : 0), 40);
      if (height === plot.height) { break; }
      plot.setSize({ width: box.width, height: height });
    }
  }

  function calc(name, values) {
    var present = values.filter(function (v) { return v !== null; });
    if (!present.length) { return null; }
    switch (name) {
      case "sum": return present.reduce(function (a, b) { return a + b; }, 0);
      case "mean": return present.reduce(function (a, b) { return a + b; }, 0) / present.length;
      case "max": return Math.max.apply(null, present);
      case "min": return Math.min.apply(null, present);
      case "first": case "firstNotNull": return present[0];
      default: return present[present.length - 1];
    }
  }

  // --------------------------------------------------------------------------------------------- panels
  function drawTimeseries(node, body, panel, series) {
    var stacked = panel.draw.stacking === "normal";
    var plotData = aligned(series);
    if (stacked) {
      for (var i = 2; i < plotData.length; i += 1) {
        plotData[i] = plotData[i].map(function (v, j) {
          var below = plotData[i - 1][j];
          return v === null ? below : v + (below || 0);
        });
      }
    }
    var bars = panel.draw.style === "bars";
    var uSeries = [{}].concat(series.map(function (s, i) {
      var field = fieldOptions(panel, s.name);
      var stroke = color(field.color || PALETTE[i % PALETTE.length]);
      var label = field.displayName || s.name;
      panel.legend.calcs.forEach(function (c) { label += "  " + c + ": " + format(calc(c, s.values), field.unit || panel.unit, panel.decimals); });
      var out = { label: label, stroke: stroke, width: panel.draw.lineWidth || 1, spanGaps: false, points: { show: false } };
      if (panel.draw.fillOpacity) { out.fill = alpha(stroke, panel.draw.fillOpacity / 100); }
      if (field.dashed) { out.dash = [10, 10]; }
      if (bars) { out.paths = uPlot.paths.bars({ size: [0.6, 40] }); }
      return out;
    }));
    var hooks = {};
    if (panel.thresholdsStyle !== "off" && panel.thresholdsStyle !== "") {
      hooks.draw = [function (u) {
        var ctx = u.ctx;
        ctx.save();
        panel.thresholds.steps.forEach(function (step) {
          if (step.value === null) { return; }
          var y = u.valToPos(step.value, "y", true);
          ctx.strokeStyle = color(step.color);
          ctx.lineWidth = 1;
          if (panel.thresholdsStyle.indexOf("dash") >= 0) { ctx.setLineDash([10, 10]); }
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
        });
        ctx.restore();
      }];
    }
    var opts = plotOptions(body, panel, uSeries, [timeAxis(), valueAxis(panel.unit, panel.decimals)], hooks);
    var y = {};
    if (panel.min !== null && panel.min !== undefined) { y.min = panel.min; }
    if (panel.max !== null && panel.max !== undefined) { y.max = panel.max; }
    var steps = panel.thresholdsStyle !== "off" ? panel.thresholds.steps.filter(function (s) { return s.value !== null; }) : [];
    if (bars && y.min === undefined) { y.min = 0; }  // bars grow from zero
    if (y.min !== undefined || y.max !== undefined || steps.length) {
      opts.scales.y = { range: function (u, dmin, dmax) {
        steps.forEach(function (s) { dmin = Math.min(dmin, s.value); dmax = Math.max(dmax, s.value); });
        if (y.min !== undefined) { dmin = Math.min(dmin, y.min); }
        var r = uPlot.rangeNum(dmin, dmax, 0.1, true);
        return [y.min !== undefined ? y.min : r[0], y.max !== undefined ? y.max : r[1]];
      } };
    }
    var plot = new uPlot(opts, plotData, body);
    fitLegend(plot, body);
    node.dataset.series = String(series.length);
    return "timeseries";
  }

  function drawCandlestick(node, body, panel, series) {
    var names = panel.candlestick.fields;
    var parts = ["open", "high", "low", "close"];
    var chosen = parts.map(function (p) {
      return series.filter(function (s) { return s.name === names[p]; })[0];
    });
    if (chosen.some(function (s) { return !s; })) {
      body.appendChild(el("div", "dg-error", "Candlestick needs series named " +
        parts.map(function (p) { return names[p]; }).join(", ")));
      return "error";
    }
    var plotData = aligned(chosen);
    var up = color(panel.candlestick.colors.up);
    var down = color(panel.candlestick.colors.down);
    var uSeries = [{}].concat(parts.map(function (p, i) {
      return { label: names[p], stroke: i === 3 ? up : AXIS, paths: function () { return null; }, points: { show: false } };
    }));
    var candles = function (u) {
      var ctx = u.ctx;
      var xs = u.data[0];
      var width = xs.length > 1 ? Math.max(1, Math.min(24, (u.bbox.width / xs.length) * 0.6)) : 8;
      ctx.save();
      for (var i = 0; i < xs.length; i += 1) {
        var o = u.data[1][i], h = u.data[2][i], l = u.data[3][i], c = u.data[4][i];
        if (o === null || h === null || l === null || c === null) { continue; }
        var x = Math.round(u.valToPos(xs[i], "x", true));
        var fill = c >= o ? up : down;
        ctx.strokeStyle = fill;
        ctx.fillStyle = fill;
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(x + 0.5, u.valToPos(h, "y", true));
        ctx.lineTo(x + 0.5, u.valToPos(l, "y", true));
        ctx.stroke();
        var top = u.valToPos(Math.max(o, c), "y", true);
        var bottom = u.valToPos(Math.min(o, c), "y", true);
        ctx.fillRect(x - width / 2, top, width, Math.max(1, bottom - top));
      }
      ctx.restore();
    };
    var opts = plotOptions(body, panel, uSeries, [timeAxis(), valueAxis(panel.unit, panel.decimals)],
                           { draw: [candles] });
    opts.scales.y = { range: function () {
      var lows = plotData[3].filter(function (v) { return v !== null; });
      var highs = plotData[2].filter(function (v) { return v !== null; });
      return uPlot.rangeNum(Math.min.apply(null, lows), Math.max.apply(null, highs), 0.1, true);
    } };
    var plot = new uPlot(opts, plotData, body);
    fitLegend(plot, body);
    node.dataset.series = String(chosen.length);
    return "candlestick";
  }

  function sparkline(s) {
    var svgNS = "http://www.w3.org/2000/svg";
    var points = [];
    s.values.forEach(function (v, i) { if (v !== null) { points.push([s.times[i], v]); } });
    if (points.length < 2) { return null; }
    var t0 = points[0][0], t1 = points[points.length - 1][0];
    var vs = points.map(function (p) { return p[1]; });
    var lo = Math.min.apply(null, vs), hi = Math.max.apply(null, vs);
    if (!(hi > lo)) { hi = lo + 1; }
    var d = "M" + points.map(function (p) {
      return ((p[0] - t0) / ((t1 - t0) || 1) * 100).toFixed(2) + "," + (30 - (p[1] - lo) / (hi - lo) * 28).toFixed(2);
    }).join("L");
    var svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", "0 0 100 30");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "dg-spark");
    var area = document.createElementNS(svgNS, "path");
    area.setAttribute("d", d + "L100,30L0,30Z");
    area.setAttribute("fill", "currentColor");
    area.setAttribute("fill-opacity", "0.15");
    var line = document.createElementNS(svgNS, "path");
    line.setAttribute("d", d);
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "currentColor");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(area);
    svg.appendChild(line);
    return svg;
  }

  function drawStat(node, body, panel, series) {
    var box = el("div", "dg-stats");
    var values = series.map(last);
    var r = range(panel, values);
    series.forEach(function (s, i) {
      var field = fieldOptions(panel, s.name);
      var tile = el("div", "dg-stat");
      var c = thresholdColor(panel, values[i], r[0], r[1]);
      var value = el("div", "dg-stat-value", format(values[i], field.unit || panel.unit, panel.decimals));
      if (panel.stat.colorMode === "background") {
        tile.style.background = c;
        tile.style.color = "#fff";
      } else if (panel.stat.colorMode !== "none") {
        value.style.color = c;
        tile.style.color = c;
      }
      if (panel.stat.graphMode === "area") {
        var spark = sparkline(s);
        if (spark) { tile.appendChild(spark); }
      }
      tile.appendChild(value);
      if (series.length > 1) { tile.appendChild(el("div", "dg-stat-name", field.displayName || s.name)); }
      box.appendChild(tile);
    });
    body.appendChild(box);
    node.dataset.series = String(series.length);
    return "stat";
  }

  function drawBargauge(node, body, panel, series) {
    var values = series.map(last);
    var r = range(panel, values);
    var vertical = panel.bargauge.orientation === "vertical";
    var box = el("div", "dg-bars" + (vertical ? " dg-vertical" : ""));
    series.forEach(function (s, i) {
      var v = values[i];
      var c = thresholdColor(panel, v, r[0], r[1]);
      var share = v === null ? 0 : Math.max(0, Math.min(1, (v - r[0]) / (r[1] - r[0])));
      var bar = el("div", "dg-bar");
      var track = el("div", "dg-bar-track");
      var fill = el("div", "dg-bar-fill");
      if (vertical) { fill.style.height = (share * 100).toFixed(2) + "%"; } else { fill.style.width = (share * 100).toFixed(2) + "%"; }
      if (panel.bargauge.displayMode === "lcd") {
        fill.style.background = "repeating-" + (vertical ? "linear-gradient(0deg," : "linear-gradient(90deg,") + c + " 0 8px, transparent 8px 11px)";
      } else if (panel.bargauge.displayMode === "gradient") {
        fill.style.background = "linear-gradient(" + (vertical ? "0deg," : "90deg,") + alpha(c, 0.35) + "," + c + ")";
      } else {
        fill.style.background = c;
      }
      track.appendChild(fill);
      var value = el("div", "dg-bar-value", format(v, fieldOptions(panel, s.name).unit || panel.unit, panel.decimals));
      value.style.color = c;
      bar.appendChild(el("div", "dg-bar-name", s.name));
      bar.appendChild(track);
      bar.appendChild(value);
      box.appendChild(bar);
    });
    body.appendChild(box);
    node.dataset.series = String(series.length);
    return "bargauge";
  }

  function drawTable(node, body, panel, series) {
    var table = panel.table;
    var refIds = {};
    series.forEach(function (s) { refIds[s.refId] = true; });
    var several = Object.keys(refIds).length > 1;
    var rows = [], byKey = {}, columns = ["Time"], valueColumns = {};
    series.forEach(function (s) {
      var labels = {};
      Object.keys(s.labels).sort().forEach(function (k) {
        labels[k] = s.labels[k];
        if (columns.indexOf(k) < 0) { columns.push(k); }
      });
      var valueName = several ? "Value #" + s.refId : "Value";
      valueColumns[valueName] = true;
      var key = table.merge ? JSON.stringify(Object.keys(labels).filter(function (k) { return k !== "__name__"; })
        .map(function (k) { return [k, labels[k]]; })) : String(rows.length);
      var row = byKey[key];
      if (!row) { row = byKey[key] = {}; rows.push(row); }
      Object.keys(labels).forEach(function (k) { row[k] = labels[k]; });
      var at = s.values.length - 1;
      while (at >= 0 && s.values[at] === null) { at -= 1; }
      if (at >= 0) { row.Time = s.times[at]; }
      row[valueName] = at >= 0 ? s.values[at] : null;
    });
    Object.keys(valueColumns).sort().forEach(function (c) { columns.push(c); });
    columns = columns.filter(function (c) { return table.exclude.indexOf(c) < 0; });
    var shown = columns.map(function (c) { return table.rename[c] || c; });
    table.sortBy.forEach(function (sort) {
      var at = shown.indexOf(sort.column);
      if (at < 0) { return; }
      var key = columns[at];
      rows.sort(function (a, b) {
        var x = a[key], y = b[key];
        var nx = Number(x), ny = Number(y);
        var cmp = isFinite(nx) && isFinite(ny) ? nx - ny : String(x).localeCompare(String(y));
        return sort.desc ? -cmp : cmp;
      });
    });
    var wrap = el("div", "dg-table-wrap");
    var t = el("table", "dg-table");
    if (table.showHeader) {
      var head = el("tr");
      shown.forEach(function (name) { head.appendChild(el("th", "", name)); });
      var thead = el("thead");
      thead.appendChild(head);
      t.appendChild(thead);
    }
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      columns.forEach(function (c, i) {
        var v = row[c];
        var td;
        if (c === "Time") {
          td = el("td", "", v === undefined ? "" : isoTime(v * 1000));
        } else if (valueColumns[c]) {
          var field = fieldOptions(panel, shown[i]);
          td = el("td", "dg-num", v === null || v === undefined ? "" : format(v, field.unit || panel.unit, field.decimals !== undefined ? field.decimals : panel.decimals));
        } else {
          td = el("td", "", v === undefined ? "" : String(v));
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    t.appendChild(tbody);
    wrap.appendChild(t);
    body.appendChild(wrap);
    node.dataset.series = String(series.length);
    node.dataset.rows = String(rows.length);
    return "table";
  }

  var DRAW = { timeseries: drawTimeseries, stat: drawStat, bargauge: drawBargauge, table: drawTable,
               candlestick: drawCandlestick };

  function noData(body, panel) {
    var box = el("div", "dg-empty");
    box.appendChild(el("div", "", "No data"));
    panel.targets.forEach(function (t) { box.appendChild(el("code", "", t.refId + ": " + t.expr)); });
    body.appendChild(box);
    return "nodata";
  }

  function draw(node, panel) {
    var body = node.querySelector(".dg-panel-body");
    var panelData = data.panels[String(panel.id)];
    var drawn;
    if (panelData && panelData.error) {
      body.appendChild(el("div", "dg-error", panelData.error));
      drawn = "error";
    } else if (!panelData || !panelData.series.length || !DRAW[panel.type]) {
      drawn = noData(body, panel);
      if (panelData && panelData.series.length) { drawn = "unsupported"; }
    } else {
      drawn = DRAW[panel.type](node, body, panel, panelData.series);
    }
    node.dataset.drawn = drawn;
  }

  var panels = {};
  model.rows.forEach(function (row) { row.panels.forEach(function (p) { panels[p.id] = p; }); });
  var solo = /^#panel=(\d+)$/.exec(window.location.hash);
  if (solo && panels[solo[1]]) {
    var node = document.getElementById("panel-" + solo[1]);
    document.body.classList.add("dg-solo");
    node.classList.add("dg-solo-panel");
    draw(node, panels[solo[1]]);
  } else {
    Array.prototype.forEach.call(document.querySelectorAll(".dg-panel"), function (node) {
      draw(node, panels[node.dataset.panelId]);
    });
  }
  document.body.dataset.ready = "1";
}());
