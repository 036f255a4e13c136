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

function show(r) {
  $("error").hidden = true;
  $("area").textContent = r.area.total_mm2.toPrecision(4) + " mm²";
  $("power").textContent = si(r.power.total_W, "W");
  $("energy").textContent = si(r.inference.energy_J, "J");
  $("throughput").textContent = r.inference.fps.toPrecision(4) + " inferences/s";
  $("latency").textContent = si(r.inference.latency_s, "s");
  $("chips").textContent = r.chips;
  bars($("energy-chart"), r.inference.energy_breakdown_J, "J");
  bars($("area-chart"), r.area.breakdown_mm2, "mm²");
}

function command(params) {
  const parts = ["imcsim run --preset", params.get("preset"), "--network", params.get("network")];
  for (const s of params.getAll("set")) parts.push("--set", s.includes(" ") ? "'" + s + "'" : s);
  return parts.join(" ");
}

async function update() {
  const params = state();
  history.replaceState(null, "", "?" + params.toString());
  $("command").textContent = command(params);
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
