// The live SKU dashboard: reads the HTTP API (reads need no key) and draws the chart as inline SVG.
"use strict";

(function () {
  const api = "/api/v1";
  const svgNs = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

  async function getJson(path) {
    const response = await fetch(api + path, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title) ? (body.detail || body.title) : response.statusText;
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function addDays(iso, days) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function el(name, attributes, parent) {
    const node = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes || {})) {
      node.setAttribute(key, String(value));
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  // ---- SKU ----

  async function showSku(sku) {
    const message = $("message");
    message.textContent = "";
    const trimmed = sku.trim();
    if (!trimmed) {
      message.textContent = "Type a SKU id.";
      return;
    }
    try {
      const data = await getJson("/skus/" + encodeURIComponent(trimmed));
      renderSku(data);
      history.replaceState(null, "", "#" + encodeURIComponent(trimmed));
    } catch (error) {
      $("sku-panel").hidden = true;
      message.textContent = error.status === 404 ? `No SKU "${trimmed}".` : `Could not load "${trimmed}": ${error.message}`;
    }
  }

  function renderSku(s) {
    $("sku-panel").hidden = false;
    $("sku-title").textContent = s.sku;
    const where = [s.category, s.region].filter(Boolean).join(" · ");
    const params = Object.entries(s.policy.parameters).map(([k, v]) => `${k}=${number.format(v)}`).join(", ");
    $("sku-meta").textContent =
      `${where ? where + " · " : ""}policy ${s.policy.name}${params ? " (" + params + ")" : ""} · lead time ${s.leadTimeDays} d · forecaster ${s.forecaster}`;
    $("on-hand").textContent = number.format(s.onHand);
    $("on-order").textContent = number.format(s.onOrder);
    $("backorders").textContent = number.format(s.backorders);
    $("position").textContent = number.format(s.inventoryPosition);
    $("open-day").textContent = s.openDate;
    $("fill-rate").textContent = s.metrics.unitsDemanded > 0 ? percent.format(s.metrics.fillRate) : "–";

    const suggestion = $("suggestion");
    if (s.suggestion) {
      const o = s.suggestion;
      suggestion.hidden = false;
      suggestion.textContent =
        `Suggested order ${o.id}: ${number.format(o.units)} units for ${o.forDate} ` +
        `(position ${number.format(o.inventoryPosition)}, policy asked for ${number.format(o.rawUnits)} before rounding).`;
    } else {
      suggestion.hidden = true;
      suggestion.textContent = "";
    }

    const warning = $("warning");
    warning.hidden = !s.warning;
    warning.textContent = s.warning || "";
    drawChart(s);
  }

  // ---- chart ----

  function drawChart(s) {
    const svg = $("chart");
    const title = svg.querySelector("title");
    svg.replaceChildren(title);
    const width = 860, height = 340;
    const margin = { left: 48, right: 16, top: 16, bottom: 40 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;

    // Points by date: the seed history, the closed days, then the forecast from the open day.
    const seedStart = addDays(s.startDate, -s.seedHistory.length);
    const sales = s.seedHistory.map((units, i) => ({ date: addDays(seedStart, i), value: units }))
      .concat(s.days.map((d) => ({ date: d.date, value: d.sales })));
    const onHand = s.days.map((d) => ({ date: d.date, value: d.onHand }));
    const forecast = s.forecast ? s.forecast.days : [];
    const low = 0, high = s.forecast ? s.forecast.levels.length - 1 : 0;

    const dates = [...sales.map((p) => p.date), ...forecast.map((f) => f.date)];
    if (dates.length === 0) {
      el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, svg).textContent =
        "No days yet: post sales and close a day to see the history.";
      return;
    }
    dates.sort();
    const first = dates[0];
    const last = dates[dates.length - 1];
    const dayIndex = (iso) => Math.round((Date.parse(iso + "T00:00:00Z") - Date.parse(first + "T00:00:00Z")) / 86400000);
    const span = Math.max(1, dayIndex(last));
    const values = [...sales, ...onHand].map((p) => p.value)
      .concat(forecast.flatMap((f) => [f.mean, f.quantiles[high]]));
    const top = niceCeiling(Math.max(1, ...values));
    const x = (iso) => margin.left + (dayIndex(iso) / span) * plotW;
    const y = (v) => margin.top + plotH - (v / top) * plotH;

    // grid and axes
    const grid = el("g", { class: "grid" }, svg);
    const axis = el("g", { class: "axis" }, svg);
    for (let i = 0; i <= 4; i++) {
      const v = (top / 4) * i;
      el("line", { x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }, grid);
      el("text", { x: margin.left - 6, y: y(v) + 4, "text-anchor": "end" }, axis).textContent = number.format(v);
    }
    el("line", { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0) }, axis);
    const step = Math.max(1, Math.ceil(span / 8));
    for (let i = 0; i <= span; i += step) {
      const iso = addDays(first, i);
      el("text", { x: x(iso), y: height - margin.bottom + 16, "text-anchor": "middle" }, axis).textContent = iso.slice(5);
    }

    // forecast band (lowest to highest level), then the lines
    if (forecast.length > 0) {
      const upper = forecast.map((f) => `${x(f.date).toFixed(1)},${y(f.quantiles[high]).toFixed(1)}`);
      const lower = forecast.slice().reverse().map((f) => `${x(f.date).toFixed(1)},${y(f.quantiles[low]).toFixed(1)}`);
      el("path", { d: "M" + upper.concat(lower).join("L") + "Z", class: "series-band" }, svg);
      el("path", { d: linePath(forecast.map((f) => ({ date: f.date, value: f.mean })), x, y), class: "series-forecast" }, svg);
    }
    if (sales.length > 0) {
      el("path", { d: linePath(sales, x, y), class: "series-sales" }, svg);
    }
    if (onHand.length > 0) {
      el("path", { d: linePath(onHand, x, y), class: "series-onhand" }, svg);
    }

    // the open day
    if (s.openDate >= first && s.openDate <= last) {
      el("line", { x1: x(s.openDate), x2: x(s.openDate), y1: margin.top, y2: y(0), class: "today" }, svg);
      el("text", { x: x(s.openDate) + 4, y: margin.top + 10, class: "today-label" }, svg).textContent = "open day";
    }
  }

  function linePath(points, x, y) {
    return points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`).join("");
  }

  function niceCeiling(v) {
    const power = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) {
      if (m * power >= v) {
        return m * power;
      }
    }
    return 10 * power;
  }

  // ---- open orders ----

  async function loadOrders() {
    const body = document.querySelector("#orders-table tbody");
    try {
      const page = await getJson("/orders?status=open&pageSize=50");
      body.replaceChildren();
      for (const o of page.orders) {
        const row = document.createElement("tr");
        row.dataset.sku = o.sku;
        for (const [text, numeric] of [[o.id, false], [o.sku, false], [number.format(o.units), true], [o.forDate, false], [number.format(o.inventoryPosition), true], [o.policy, false]]) {
          const cell = document.createElement("td");
          cell.textContent = text;
          if (numeric) {
            cell.className = "num";
          }
          row.appendChild(cell);
        }
        row.addEventListener("click", () => {
          $("sku-input").value = o.sku;
          showSku(o.sku);
        });
        body.appendChild(row);
      }
      if (page.orders.length === 0) {
        const row = document.createElement("tr");
        row.className = "empty-row";
        const cell = document.createElement("td");
        cell.colSpan = 6;
        cell.textContent = "No open orders.";
        row.appendChild(cell);
        body.appendChild(row);
      }
      $("orders-summary").textContent = page.total > page.orders.length
        ? `Showing ${page.orders.length} of ${page.total} open orders.`
        : `${page.total} open order${page.total === 1 ? "" : "s"}.`;
    } catch (error) {
      $("orders-summary").textContent = "Could not load orders: " + error.message;
    }
  }

  $("find-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showSku($("sku-input").value);
  });
  $("orders-refresh").addEventListener("click", loadOrders);

  loadOrders();
  if (location.hash.length > 1) {
    const sku = decodeURIComponent(location.hash.slice(1));
    $("sku-input").value = sku;
    showSku(sku);
  }
})();
