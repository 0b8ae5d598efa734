// Sre's UI: the theme toggle, times in the browser's zone beside UTC, and uPlot charts drawn from JSON in the page.
(function () {
    "use strict";

    function toggleTheme() {
        var root = document.documentElement;
        var dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
        root.dataset.theme = dark ? "light" : "dark";
        localStorage.setItem("sre-theme", root.dataset.theme);
    }

    // Each <time datetime> is written in UTC by the server; the browser's own zone is added beside it.
    function localTimes(scope) {
        scope.querySelectorAll("time[datetime]:not([data-local])").forEach(function (t) {
            var d = new Date(t.getAttribute("datetime"));
            if (isNaN(d)) return;
            t.dataset.local = "1";
            var span = document.createElement("span");
            span.className = "local";
            span.textContent = d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
            span.title = Intl.DateTimeFormat().resolvedOptions().timeZone;
            t.appendChild(span);
        });
    }

    function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

    // A chart's data is a JSON script beside its div: {"x":[unix s...],"series":[{"label","values",...}],"markers":[...]}
    function drawCharts(scope) {
        if (typeof uPlot === "undefined") return;
        scope.querySelectorAll("div.chart[data-chart]:not([data-drawn])").forEach(function (div) {
            var data = JSON.parse(document.getElementById(div.dataset.chart).textContent);
            var palette = [css("--accent"), css("--muted"), css("--warn"), css("--bad"), css("--ok")];
            var series = [{}].concat(data.series.map(function (s, i) {
                return { label: s.label, stroke: s.color ? css(s.color) : palette[i % palette.length], width: s.dash ? 1 : 2,
                    dash: s.dash ? [6, 4] : undefined, spanGaps: false,
                    value: function (u, v) { return v == null ? "–" : (s.percent ? (v * 100).toFixed(2) + "%" : v.toFixed(2)); } };
            }));
            var markers = data.markers || [];
            var opts = {
                width: Math.max(300, div.clientWidth), height: 260, series: series,
                scales: { x: { time: true, range: [data.from, data.to] } },
                axes: [{ stroke: css("--muted"), grid: { stroke: css("--line") } },
                       { stroke: css("--muted"), grid: { stroke: css("--line") }, size: 64,
                         values: function (u, vals) { return vals.map(function (v) { return data.percent ? (v * 100).toFixed(0) + "%" : v + "x"; }); } }],
                hooks: { draw: [function (u) {
                    var ctx = u.ctx;
                    markers.forEach(function (m) {
                        var x = u.valToPos(m.at, "x", true);
                        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
                        ctx.save();
                        ctx.strokeStyle = css(m.kind === "incident" ? "--bad" : "--ok");
                        ctx.setLineDash([3, 3]);
                        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
                        ctx.restore();
                    });
                }] }
            };
            div.dataset.drawn = "1";
            div.dataset.points = String(data.x.length);
            new uPlot(opts, [data.x].concat(data.series.map(function (s) { return s.values; })), div);
        });
    }

    function enhance(scope) { localTimes(scope); drawCharts(scope); }

    document.addEventListener("DOMContentLoaded", function () {
        var toggle = document.getElementById("theme-toggle");
        if (toggle) toggle.addEventListener("click", toggleTheme);
        enhance(document);
    });
    document.addEventListener("htmx:afterSettle", function (e) { enhance(e.target); });

    // A filter left empty stays out of the URL a GET pushes into the history (?service=x, not ?q=&service=x&label=).
    document.addEventListener("htmx:configRequest", function (e) {
        if (e.detail.verb !== "get") return;
        Object.keys(e.detail.parameters).forEach(function (k) { if (e.detail.parameters[k] === "") delete e.detail.parameters[k]; });
    });

    // A refusal comes back as the page with the refusal beside its form, and is swapped in. An answer without the part
    // being swapped (an expired form's 400, a 404) would swap it for nothing: it is shown as a message instead.
    document.addEventListener("htmx:beforeSwap", function (e) {
        var status = e.detail.xhr.status, id = e.detail.target && e.detail.target.id;
        if (status < 400 || !id || (e.detail.serverResponse || "").indexOf('id="' + id + '"') >= 0) return;
        e.detail.shouldSwap = false;
        alert(status === 400 ? "The form has expired: reload the page and try again." : "That is no longer there (" + status + "): reload the page.");
    });
})();
