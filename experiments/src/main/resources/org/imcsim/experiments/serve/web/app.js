// The teaching page: every control is part of the URL, every change asks /api/point for the design point, and the
// newest answer wins (a slower, older request is cancelled).
"use strict";

const $ = (id) => document.getElementById(id);
let inFlight = null;

function knobs() {
  return [...document.querySelectorAll("input[data-path]")];
}

function state() {
  const params = new URLSearchParams();
  params.set("preset", $("preset").value);
  params.set("network", $("network").value);
  for (const input of knobs()) {
    if (input.value.trim() !== "") params.append("set", input.dataset.path + "=" + input.value.trim());
  }
  return params;
}

function restore(params) {
  if (params.get("preset")) $("preset").value = params.get("preset");
  if (params.get("network")) $("network").value = params.get("network");
  const sets = new Map(params.getAll("set").map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
  for (const input of knobs()) input.value = sets.get(input.dataset.path) ?? "";
}

function si(value, unit) {
  if (!isFinite(value)) return "—";
  const prefixes = [[1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"], [1e-6, "µ"], [1e-9, "n"], [1e-12, "p"]];
  for (const [scale, p] of prefixes) if (Math.abs(value) >= scale) return (value / scale).toPrecision(4) + " " + p + unit;
  return value.toPrecision(4) + " " + unit;
}

function bars(svg, breakdown, unit) {
  const entries = Object.entries(breakdown).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  const row = 20, label = 150, width = 260;
  svg.setAttribute("width", label + width + 110);
  svg.setAttribute("height", Math.max(row, entries.length * row));
  svg.replaceChildren();
  const ns = "http://www.w3.org/2000/svg";
  entries.forEach(([name, v], i) => {
    const y = i * row;
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", 0); text.setAttribute("y", y + 14); text.textContent = name;
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", label); bar.setAttribute("y", y + 3);
    bar.setAttribute("width", Math.max(1, width * v / entries[0][1])); bar.setAttribute("height", row - 6);
    bar.dataset.component = name;
    const title = document.createElementNS(ns, "title");
    title.textContent = name + ": " + si(v, unit) + " (" + (100 * v / total).toFixed(1) + " %)";
    bar.appendChild(title);
    const value = document.createElementNS(ns, "text");
    value.setAttribute("x", label + width + 6); value.setAttribute("y", y + 14);
    value.textContent = (100 * v / total).toFixed(1) + " %";
    svg.append(text, bar, value);
  });
}

// Twelve hues for layers, in order; a layer's replicated copies alternate between two shades of its hue.
function layerColour(i, copy) {
  const hue = (i * 137.5) % 360;
  return "hsl(" + hue.toFixed(0) + ", 55%, " + (copy % 2 === 0 ? 45 : 60) + "%)";
}

// Every array the network takes, one cell each (a cell stands for several arrays on large chips), in layer order:
// a layer's copies one after another, then the arrays compression freed (grey). Hover names what a cell holds.
function placementMap(r) {
  const svg = $("map");
  const ns = "http://www.w3.org/2000/svg";
  const used = r.layers.reduce((s, l) => s + l.arrays, 0);
  const freed = r.layers.reduce((s, l) => s + Math.max(0, l.arrays_dense - l.arrays), 0);
  const perCell = Math.max(1, Math.ceil((used + freed) / 4096));
  const size = 9, columns = 64;
  const cells = [];
  r.layers.forEach((l, i) => {
    const perCopy = l.arrays / Math.max(1, l.replication);
    const energyPerArray = l.energy_J / Math.max(1, l.arrays);
    for (let a = 0; a < l.arrays; a += perCell) {
      const copy = Math.floor(a / perCopy);
      cells.push({ fill: layerColour(i, copy), layer: l.name,
        text: l.name + " (" + l.kind + "), copy " + (copy + 1) + " of " + l.replication + ": " + perCopy
          + " arrays per copy, " + l.arrays + " in all; " + si(energyPerArray, "J") + " per array per inference" });
    }
    for (let a = 0; a < Math.max(0, l.arrays_dense - l.arrays); a += perCell) {
      cells.push({ freed: true, layer: l.name, text: l.name + ": freed by compression ("
        + (l.arrays_dense - l.arrays) + " of " + l.arrays_dense + " dense arrays)" });
    }
  });
  svg.replaceChildren();
  svg.setAttribute("width", columns * size);
  svg.setAttribute("height", Math.ceil(cells.length / columns) * size);
  cells.forEach((c, k) => {
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", (k % columns) * size);
    rect.setAttribute("y", Math.floor(k / columns) * size);
    rect.setAttribute("width", size);
    rect.setAttribute("height", size);
    rect.dataset.layer = c.layer;
    if (c.freed) rect.setAttribute("class", "freed"); else rect.style.fill = c.fill;
    const title = document.createElementNS(ns, "title");
    title.textContent = c.text;
    rect.appendChild(title);
    svg.appendChild(rect);
  });
  $("map-caption").textContent = used + " arrays in use" + (freed > 0 ? ", " + freed + " freed by compression" : "")
    + (perCell > 1 ? " (a cell is " + perCell + " arrays)" : " (a cell is one array)") + ", on " + r.chips
    + (r.chips === 1 ? " chip" : " chips");
  $("legend").replaceChildren(...r.layers.map((l, i) => {
    const item = document.createElement("span");
    item.style.setProperty("--swatch", layerColour(i, 0));
    item.textContent = l.name + " × " + l.replication;
    return item;
  }));
  svg.dataset.cells = String(cells.length);
}

function show(r) {
  window.lastResult = r; // the design point as the server sent it (the browser test, and curious students, read it)
  $("error").hidden = true;
  $("area").textContent = r.area.total_mm2.toPrecision(4) + " mm²";
  $("power").textContent = si(r.power.total_W, "W");
  $("energy").textContent = si(r.inference.energy_J, "J");
  $("throughput").textContent = r.inference.fps.toPrecision(4) + " inferences/s";
  $("latency").textContent = si(r.inference.latency_s, "s");
  $("chips").textContent = r.chips;
  bars($("energy-chart"), r.inference.energy_breakdown_J, "J");
  bars($("area-chart"), r.area.breakdown_mm2, "mm²");
  placementMap(r);
}

function command(params) {
  const parts = ["imcsim run --preset", params.get("preset"), "--network", params.get("network")];
  for (const s of params.getAll("set")) parts.push("--set", s.includes(" ") ? "'" + s + "'" : s);
  return parts.join(" ");
}

// The view as a config file: the preset, the network, then each knob under its dotted path's mappings.
function yaml(params) {
  const tree = {};
  for (const s of params.getAll("set")) {
    const [path, value] = [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)];
    const keys = path.split(".");
    let node = tree;
    keys.slice(0, -1).forEach((k) => { node = node[k] = node[k] ?? {}; });
    node[keys[keys.length - 1]] = value;
  }
  const scalar = (v) => /^[A-Za-z0-9_.+-]+$/.test(v) ? v : JSON.stringify(v);
  const lines = ["preset: " + scalar(params.get("preset")), "network: " + scalar(params.get("network"))];
  const write = (node, indent) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === "object") { lines.push(indent + k + ":"); write(v, indent + "  "); }
      else lines.push(indent + k + ": " + scalar(v));
    }
  };
  write(tree, "");
  return lines.join("\n") + "\n";
}

async function update() {
  const params = state();
  history.replaceState(null, "", "?" + params.toString());
  $("command").textContent = command(params);
  $("yaml").textContent = yaml(params);
  $("share").href = location.href;
  if (inFlight) inFlight.abort();
  inFlight = new AbortController();
  try {
    const response = await fetch("api/point?" + params.toString(), { signal: inFlight.signal });
    const body = await response.text();
    if (!response.ok) {
      $("error").textContent = body;
      $("error").hidden = false;
      return;
    }
    show(JSON.parse(body));
    document.body.dataset.ready = params.toString();
  } catch (e) {
    if (e.name !== "AbortError") {
      $("error").textContent = String(e);
      $("error").hidden = false;
    }
  }
}

async function start() {
  const catalog = await (await fetch("api/catalog")).json();
  for (const [id, names] of [["preset", catalog.presets], ["network", catalog.networks]]) {
    for (const name of names) $(id).append(new Option(name, name));
  }
  $("preset").value = catalog.presets.includes("isaac") ? "isaac" : catalog.presets[0];
  $("network").value = catalog.networks.includes("lenet5") ? "lenet5" : catalog.networks[0];
  restore(new URLSearchParams(location.search));
  $("knobs").addEventListener("input", update);
  $("knobs").addEventListener("change", update);
  await update();
}

start();
