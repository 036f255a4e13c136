// The teaching page. Every control is part of the URL; a change of design asks /api/point for the design point (the
// newest answer wins: an older request is aborted). Long work — accuracy under variation, compression — runs as a
// server job whose events stream in (EventSource); a new job of a kind replaces the old one on the server too.
"use strict";

const $ = (id) => document.getElementById(id);
// This page's token, from the page the server sent: a request that changes the server's state (an upload, a job, a
// cancel) carries it in a header another site's page cannot send, and the jobs it starts are this page's alone.
const token = document.querySelector("meta[name='abacim-token']").content;

/** fetch() with the page's token. */
function send(url, options = {}) {
  return fetch(url, { ...options, headers: { ...(options.headers ?? {}), "X-abacim-Token": token } });
}
const ns = "http://www.w3.org/2000/svg";
let inFlight = null;
let accuracyPoints = [];  // {sigma, mean, std, min, max, quantized} of the current design, in the order scored
let accuracyKey = null;   // the design those points belong to
let scored = false;       // the view includes an accuracy run (its sets go into the command and config)
const following = {};     // job kind -> EventSource
let builtIn = [];         // the built-in networks' names
let presetKeys = {};      // preset -> its config keys: a knob the preset lacks is switched off
let presetValues = {};    // preset -> config key -> the preset's value there (a knob's placeholder), and its technology
let compressedFor = null; // the design (state without the network) the compression results on screen were run on
window.compressionRows = [];

function knobs() {
  return [...document.querySelectorAll("#knobs [data-path]")];
}

/** The design point: preset, network and the knobs that are set. */
function state() {
  const params = new URLSearchParams();
  params.set("preset", $("preset").value);
  params.set("network", $("network").value);
  for (const input of knobs()) {
    if (!input.disabled && input.value.trim() !== "") params.append("set", input.dataset.path + "=" + input.value.trim());
  }
  return params;
}

/**
 * Offers the knobs the chosen preset has (array rows and columns in every one; ADC bits where there is an ADC), each
 * showing the preset's value; a knob it lacks is off, with the reason beside it. After a change of preset (`event`),
 * a knob the new preset lacks is emptied: its value was the old preset's.
 */
function offerKnobs(event) {
  const preset = $("preset").value;
  const keys = presetKeys[preset];
  const values = presetValues[preset] ?? {};
  for (const input of knobs()) {
    const path = input.dataset.path;
    const has = !keys || keys.includes(path);
    if (!has && event) input.value = "";
    input.disabled = !has;
    const reason = has ? "" : "off: " + preset + " (" + (values.technology ?? "its technology")
      + ") has no " + path + (path === "adc.bits" ? " — there is no ADC to set" : "") + "; the model would refuse it";
    input.title = reason;
    knobNote(input, reason);
    presetValue(input, has ? values[path] : undefined);
  }
  // The σ slider sets device.programming: a preset without programmed devices (CAP-RAM's SRAM, SOT-MRAM) scores without it.
  const programmed = !keys || keys.includes("device.programming.kind");
  const sigma = $("sigma");
  sigma.disabled = !programmed;
  const why = programmed ? "" : "off: " + preset + " (" + (values.technology ?? "its technology")
    + ") has no programming variation (device.programming); Score runs its chips without it";
  sigma.title = why;
  let note = $("why-sigma");
  if (!note) {
    note = document.createElement("small");
    note.id = "why-sigma";
    note.className = "why";
    sigma.closest("label").after(note);
    sigma.setAttribute("aria-describedby", "why-sigma");
  }
  note.textContent = why;
  note.hidden = why === "";
}

const knobUnits = { "array.rows": "rows", "array.cols": "columns", "array.bitsPerCell": "bits", "array.dacBits": "bits",
  "adc.bits": "bits", "weights.bits": "bits", "inputBits": "bits" };

/** Shows the preset's `value` in an empty knob (its placeholder, or the select's empty choice). */
function presetValue(input, value) {
  if (value === undefined || value === "") {
    if (input.tagName === "SELECT") input.options[0].textContent = "—";
    else input.placeholder = "—";
    input.dataset.preset = "";
    return;
  }
  input.dataset.preset = value;
  const unit = knobUnits[input.dataset.path];
  const shown = value === "auto" ? "auto (lossless)" : value + (unit && /^[0-9.]+$/.test(value) ? " " + unit : "");
  if (input.tagName === "SELECT") input.options[0].textContent = "preset: " + shown;
  else input.placeholder = shown + " (preset)";
}

/** The reason a knob is off, in a line under it (and read with it: aria-describedby). */
function knobNote(input, reason) {
  const id = "why-" + input.dataset.path.replace(/\./g, "-");
  let note = $(id);
  if (!note) {
    note = document.createElement("small");
    note.id = id;
    note.className = "why";
    input.closest("label").after(note);
    input.setAttribute("aria-describedby", id);
  }
  note.textContent = reason;
  note.hidden = reason === "";
}

const pageControls = ["sigma", "dataset", "trials", "samples", "projection", "budgets", "epochs", "training", "quantize",
  "activity"];

/** The whole view: the design point and the page's other controls. */
function view() {
  const params = state();
  for (const id of pageControls) params.set(id, $(id).value);
  if ($("purify").checked) params.set("purify", "true");
  if (scored) params.set("score", "1");
  if (!$("whole-chip").checked) params.set("chip", "0");
  return params;
}

function restore(params) {
  if (params.get("preset")) $("preset").value = params.get("preset");
  const network = params.get("network");
  if (network) {
    if (![...$("network").options].some((o) => o.value === network)) $("network").append(new Option(baseName(network), network));
    $("network").value = network;
  }
  const sets = new Map(params.getAll("set").map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
  for (const input of knobs()) input.value = sets.get(input.dataset.path) ?? "";
  for (const id of pageControls) if (params.has(id)) $(id).value = params.get(id);
  $("purify").checked = params.get("purify") === "true";
  scored = params.get("score") === "1";
  $("whole-chip").checked = params.get("chip") !== "0";
  $("sigma-value").textContent = Number($("sigma").value).toFixed(2);
}

function baseName(path) {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** The settings that add a Monte-Carlo run at the slider's σ to the design point. */
function accuracySets() {
  // A preset without programmed devices (CAP-RAM's SRAM, SOT-MRAM) has no σ of programming: the model would refuse it.
  const keys = presetKeys[$("preset").value];
  const programmed = !keys || keys.includes("device.programming.kind");
  const sets = (programmed ? ["device.programming.kind=lognormal", "device.programming.sigma=" + $("sigma").value] : []).concat([
    "accuracy.dataset=" + $("dataset").value, "accuracy.trials=" + $("trials").value,
    "accuracy.samples=" + $("samples").value]);
  // A model from disk carries its own weights: score those (a built-in network is trained once instead).
  if (!builtIn.includes($("network").value)) sets.push("accuracy.model=" + $("network").value);
  if ($("activity").value === "measured") sets.push("accuracy.activity=measured");
  return sets;
}

function si(value, unit) {
  if (!isFinite(value)) return "—";
  const prefixes = [[1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"], [1e-6, "µ"], [1e-9, "n"], [1e-12, "p"]];
  for (const [scale, p] of prefixes) if (Math.abs(value) >= scale) return (value / scale).toPrecision(4) + " " + p + unit;
  return value.toPrecision(4) + " " + unit;
}

/** A number for people: thousands separated (620,155), four significant digits below 1,000. */
function people(value) {
  if (!isFinite(value)) return "—";
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString("en-US") : String(+value.toPrecision(4));
}

/** An amount with its unit: SI prefixes, except on mm² (0.5376 mm², never "537.6 mmm²"). */
function amount(value, unit) {
  return unit === "mm²" ? people(value) + " mm²" : si(value, unit);
}

/** The svg scales down with the page (a phone): its drawing size becomes its viewBox. */
function fit(svg) {
  svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
}

function svgElement(name, attributes, text) {
  const e = document.createElementNS(ns, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function titled(element, text) {
  element.appendChild(svgElement("title", {}, text));
  return element;
}

// Horizontal bars, largest first with each one's share of the total — or, with `keepOrder`, in the given order with
// their values (a layer's time is not a share of anything: the slowest sets the pace).
function bars(svg, breakdown, unit, keepOrder) {
  const entries = Object.entries(breakdown).filter(([, v]) => v > 0);
  if (!keepOrder) entries.sort((a, b) => b[1] - a[1]);
  const largest = Math.max(...entries.map(([, v]) => v));
  const total = entries.reduce((s, [, v]) => s + v, 0);
  const row = 20, label = 140, width = 150;
  svg.setAttribute("width", label + width + 165);
  svg.setAttribute("height", Math.max(row, entries.length * row));
  svg.replaceChildren();
  entries.forEach(([name, v], i) => {
    const y = i * row;
    const bar = svgElement("rect", { x: label, y: y + 3, width: Math.max(1, width * v / largest), height: row - 6,
      "data-component": name });
    titled(bar, name + ": " + amount(v, unit) + " (" + (100 * v / total).toFixed(1) + " %)");
    svg.append(svgElement("text", { x: 0, y: y + 14 }, name), bar,
      svgElement("text", { x: label + width + 6, y: y + 14 },
        keepOrder ? amount(v, unit) : (100 * v / total).toFixed(1) + " % · " + amount(v, unit)));
  });
  fit(svg);
  dataTable(svg, keepOrder ? ["layer", "time"] : ["component", "value", "share"], entries.map(([name, v]) =>
    keepOrder ? [name, amount(v, unit)] : [name, amount(v, unit), (100 * v / total).toFixed(1) + " %"]));
  keyboardReadout(svg, "rect");
}

// A colour per layer, `n` layers: hues spread evenly around the wheel (no two layers share one), neighbours in the
// network far apart on it, and every other layer darker; a layer's replicated copies alternate two shades of it.
function layerColour(i, copy, n = 12) {
  const count = Math.max(n, 2);
  let stride = Math.max(1, Math.round(count * 0.38));
  while (gcd(stride, count) !== 1) stride++;
  const hue = ((i * stride) % count) * 360 / count;
  const light = (i % 2 === 0 ? 42 : 56) + (copy % 2 === 0 ? 0 : 14);
  return "hsl(" + hue.toFixed(1) + ", 62%, " + light + "%)";
}

function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}

// Every array of the chip(s), one cell each (a cell stands for several arrays on large chips), in layer order: a
// layer's copies one after another, then the arrays compression freed (grey), then — unless `options.chip` is false
// — the chip's arrays no layer uses (empty cells). Hover names what a cell holds.
function placementMap(svg, r, options = {}) {
  const chip = options.chip !== false;
  // The whole chip: small cells; only the network's arrays: larger ones.
  const size = options.size ?? (chip ? 9 : 14), columns = options.columns ?? (chip ? 64 : 40);
  const maxCells = options.maxCells ?? 2048;
  const used = r.layers.reduce((s, l) => s + l.arrays, 0);
  const freed = r.layers.reduce((s, l) => s + Math.max(0, l.arrays_dense - l.arrays), 0);
  const capacity = r.chips * r.peak.arrays;
  const empty = chip ? Math.max(0, capacity - used - freed) : 0;
  const perCell = Math.max(1, Math.ceil((used + freed + empty) / maxCells));
  const cells = [];
  r.layers.forEach((l, i) => {
    const perCopy = l.arrays / Math.max(1, l.replication);
    const energyPerArray = l.energy_J / Math.max(1, l.arrays);
    for (let a = 0; a < l.arrays; a += perCell) {
      const copy = Math.floor(a / perCopy);
      cells.push({ fill: layerColour(i, copy, r.layers.length), layer: l.name,
        text: l.name + " (" + l.kind + "), copy " + (copy + 1) + " of " + l.replication + ": " + perCopy
          + " arrays per copy, " + l.arrays + " in all; " + si(energyPerArray, "J") + " per array per inference" });
    }
    for (let a = 0; a < Math.max(0, l.arrays_dense - l.arrays); a += perCell) {
      cells.push({ kind: "freed", layer: l.name, text: l.name + ": freed by compression ("
        + (l.arrays_dense - l.arrays) + " of " + l.arrays_dense + " dense arrays)" });
    }
  });
  for (let a = 0; a < empty; a += perCell) {
    cells.push({ kind: "empty", layer: "", text: "unused: " + empty + " of the " + capacity + " arrays on "
      + (r.chips === 1 ? "the chip" : "the " + r.chips + " chips") + " hold no weights" });
  }
  svg.replaceChildren();
  svg.setAttribute("width", columns * size);
  svg.setAttribute("height", Math.max(size, Math.ceil(cells.length / columns) * size));
  cells.forEach((c, k) => {
    const rect = svgElement("rect", { x: (k % columns) * size, y: Math.floor(k / columns) * size, width: size,
      height: size, "data-layer": c.layer });
    if (c.kind) rect.setAttribute("class", c.kind); else rect.style.fill = c.fill;
    svg.appendChild(titled(rect, c.text));
  });
  if (chip) chipBoundaries(svg, r, perCell, columns, size, cells.length);
  fit(svg);
  svg.dataset.columns = String(columns);
  keyboardReadout(svg, "rect");
  Object.assign(svg.dataset, { cells: String(cells.length), arrays: String(used), freed: String(freed),
    capacity: String(capacity), perCell: String(perCell) });
  return people(used) + " arrays in use" + (freed > 0 ? ", " + people(freed) + " freed by compression" : "")
    + (chip ? ", " + people(empty) + " unused, of " + people(capacity) + " on " + r.chips + (r.chips === 1 ? " chip" : " chips") : "")
    + (perCell > 1 ? " (a cell is " + perCell + " arrays)" : " (a cell is one array)");
}

/** The main placement map, its caption and legend, for design point `r` (after a compression step: `label`). */
let mapShown = null; // [design point, label] on the main map

/**
 * Lines between the chips on the whole-chip map (a design spanning chips): the map lays the arrays out chip by chip,
 * `r.peak.arrays` to a chip, so chip c starts at cell c × (arrays per chip / arrays per cell).
 */
function chipBoundaries(svg, r, perCell, columns, size, cellCount) {
  svg.dataset.chips = String(r.chips);
  for (let c = 1; c < r.chips; c++) {
    const k = Math.round(c * r.peak.arrays / perCell);
    if (k >= cellCount) break;
    const col = k % columns, row = Math.floor(k / columns);
    const d = col === 0 ? "M0," + row * size + "H" + columns * size
      : "M0," + (row + 1) * size + "H" + col * size + "V" + row * size + "H" + columns * size;
    svg.appendChild(titled(svgElement("path", { d, class: "chip-boundary", "data-chip": String(c + 1) }),
      "chip " + c + " | chip " + (c + 1)));
  }
}

function showMap(r, label) {
  mapShown = [r, label];
  const caption = placementMap($("map"), r, { chip: $("whole-chip").checked });
  $("map-caption").textContent = (label ? r.network.name + " after “" + label + "”: " : "") + caption;
  $("map").dataset.step = label ?? "";
  $("legend").replaceChildren(...r.layers.map((l, i) => {
    const item = document.createElement("span");
    item.style.setProperty("--swatch", layerColour(i, 0, r.layers.length));
    item.textContent = l.name + " × " + l.replication;
    return item;
  }));
  if (r.chips > 1 && $("whole-chip").checked) {
    const item = document.createElement("span");
    item.className = "chip-key";
    item.textContent = "chip boundary (" + r.chips + " chips)";
    $("legend").append(item);
  }
  dataTable($("map"), ["layer", "kind", "copies", "arrays", "arrays (dense)", "energy per inference"],
    r.layers.map((l) => [l.name, l.kind, people(l.replication), people(l.arrays), people(l.arrays_dense), si(l.energy_J, "J")]));
  details(r);
}

/**
 * Fills the summary, the bars and the map with one design point — the controls' (`described`: what they ask for) or,
 * with `label`, a compression step's — so that every number shown is of the same design; a stale mark goes.
 */
function show(r, label, described) {
  if (!label) window.lastResult = r; // the design point as the server sent it (the browser test, and curious students, read it)
  window.shownResult = r;
  $("error").hidden = true;
  $("result").classList.remove("stale");
  delete $("result").dataset.stale;
  $("stale-note").hidden = true;
  $("result").dataset.step = label ?? "";
  $("shown-state").textContent = label ? r.design.name + " · " + r.network.name + " after “" + label + "”"
    : described ?? r.design.name + " · " + r.network.name;
  $("area").textContent = people(r.area.total_mm2) + " mm²";
  $("power").textContent = si(r.power.total_W, "W");
  $("energy").textContent = si(r.inference.energy_J, "J");
  $("throughput").textContent = people(r.inference.fps) + " inferences/s";
  $("latency").textContent = si(r.inference.latency_s, "s");
  $("chips").textContent = r.chips;
  bars($("energy-chart"), r.inference.energy_breakdown_J, "J");
  bars($("area-chart"), r.area.breakdown_mm2, "mm²");
  bars($("power-chart"), r.power.breakdown_W, "W");
  bars($("time-chart"), Object.fromEntries(r.layers.map((l) => [l.name, l.time_s])), "s", true);
  showMap(r, label);
  perChipLabels(r);
  gloss(r);
  afterShow(r);
}

/** What the view asks for, in words: preset · network · the knobs that are set. */
function described(params) {
  return [params.get("preset"), baseName(params.get("network") ?? "")].concat(params.getAll("set")).join(" · ");
}

/**
 * A refusal: the results on screen are no longer of the controls. They stay, greyed and marked stale, with the
 * refusal beside them and the name of the design they are of.
 */
function refused(message) {
  $("error").textContent = message;
  $("error").hidden = false;
  $("result").classList.add("stale");
  $("result").dataset.stale = "true";
  $("stale-note").textContent = "Stale: the numbers, bars and map below are still those of "
    + $("shown-state").textContent + ", not of the controls, which the model refused.";
  $("stale-note").hidden = false;
}

// What each component in the bars is, one line: its meaning from this table (written from the presets' comments and
// docs/design), then its level and source from the design point's own `components` list.
const glossary = {
  crossbar: "the ReRAM crossbars: the cells hold the weights, and a read multiplies and sums a column",
  adc: "analog-to-digital converters: turn a column's analog sum into a number",
  dac: "digital-to-analog converters: drive the input bits onto the rows",
  sample_hold: "sample-and-hold circuits: keep each column's sum while the ADC converts it",
  ima_shift_add: "shift-and-add in the in-situ multiply-accumulate unit (IMA): joins bit slices and input bits",
  ima_input_register: "the IMA's input register: the inputs a crossbar read takes",
  ima_output_register: "the IMA's output register: the partial sums it produced",
  edram: "the tile's eDRAM buffer: activations between layers",
  bus: "the bus from the tile's eDRAM to its IMAs",
  tile_output_register: "the tile's output register: results before they leave the tile",
  tile_shift_add: "shift-and-add in the tile: joins partial sums of several IMAs",
  router: "the on-chip network's router: moves activations between tiles",
  activation_unit: "the activation function (ReLU, sigmoid) on a layer's outputs",
  maxpool: "the max-pooling unit",
  offchip_link: "the off-chip links (HyperTransport): join the chips of a multi-chip design",
  sign_bits: "the columns or cells that encode weights' signs (offset or polarized columns)",
  mtj_array: "the SOT-MRAM sub-arrays: magnetic tunnel junctions hold the weight bits",
  sense_amp: "sense amplifiers: read two rows at once as a logic AND (no ADC needed)",
  bit_counter_shifter: "bit counter and shifter: add up the AND results and weigh them by bit position",
  buffer: "the SRAM buffer: activations and partial sums",
  leakage: "static power of the chip while it computes (not tied to an action)",
  sram_array: "the 6T-SRAM cells with their charge-domain MAC capacitors",
  accumulator: "digital adders: sum the converted values",
  periphery: "the macro's remaining circuits (drivers, control)",
};

/** One line about component (or layer) `name` of design point `r`. */
function glossLine(r, name) {
  const layer = r.layers.find((l) => l.name === name);
  if (layer) return name + ": a " + layer.kind + " layer of " + r.network.name + ", on " + layer.arrays + " arrays";
  const component = (r.components ?? []).find((c) => c.name === name);
  return name + ": " + (glossary[name] ?? "a component of " + r.design.name)
    + (component ? " (" + component.level + " level; " + component.source + ")" : "");
}

/** The bars' names explained: on hover (a tooltip) and on keyboard focus (the line under the charts). */
function gloss(r) {
  for (const svg of document.querySelectorAll(".charts svg")) {
    const names = new Set([...svg.querySelectorAll("rect[data-component]")].map((rect) => rect.dataset.component));
    for (const text of svg.querySelectorAll("text")) {
      const name = text.textContent;
      if (!names.has(name)) continue;
      const line = glossLine(r, name);
      text.setAttribute("tabindex", "0");
      text.setAttribute("class", ((text.getAttribute("class") ?? "") + " glossed").trim());
      text.setAttribute("aria-label", line);
      text.dataset.gloss = line;
      titled(text, line);
      const tell = () => { $("gloss").textContent = line; };
      text.addEventListener("focus", tell);
      text.addEventListener("mouseenter", tell);
    }
  }
}

/** Area and power are one chip's when the design spans chips; energy, throughput and latency are the whole design's. */
function perChipLabels(r) {
  const many = r.chips > 1;
  for (const el of document.querySelectorAll(".scope")) {
    el.textContent = el.dataset.scope === "chip" ? (many ? " (per chip, × " + r.chips + " chips)" : "")
      : (many ? " (whole design, " + r.chips + " chips)" : "");
  }
}

function quoted(s) {
  return /^[A-Za-z0-9_.,:=\/+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

function command(params, sets) {
  const parts = ["abacim run --preset", quoted(params.get("preset")), "--network", quoted(params.get("network"))];
  for (const s of sets) parts.push("--set", quoted(s));
  return parts.join(" ");
}

// The view as a config file: the preset, the network, then each setting under its dotted path's mappings.
function yaml(params, sets) {
  const tree = {};
  for (const s of sets) {
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

/** The command and config that reproduce the view: the design point, with the accuracy run once one was asked for. */
function reproduce() {
  const params = state();
  const sets = params.getAll("set").concat(scored ? accuracySets() : []);
  $("command").textContent = command(params, sets);
  $("yaml").textContent = yaml(params, sets);
  history.replaceState(null, "", "?" + view().toString());
  $("share").href = location.href;
}

async function update() {
  const params = state();
  reproduce();
  compressionStale();
  const key = params.toString() + "|" + $("dataset").value + "|" + $("trials").value + "|" + $("samples").value;
  if (key !== accuracyKey) {
    accuracyKey = key;
    accuracyPoints = [];
    accuracyChart();
  }
  if (inFlight) inFlight.abort();
  inFlight = new AbortController();
  try {
    const response = await fetch("api/point?" + params.toString(), { signal: inFlight.signal });
    const body = await response.text();
    if (!response.ok) {
      refused(body);
      document.body.dataset.refused = params.toString();
      return;
    }
    show(JSON.parse(body), undefined, described(params));
    document.body.dataset.ready = params.toString();
  } catch (e) {
    if (e.name !== "AbortError") refused(String(e));
  }
}

// ---- Jobs: accuracy and compression run on the server; their events stream in. ----

function panel(kind) {
  return document.querySelector("fieldset[data-job='" + kind + "']");
}

function jobStatus(kind, text, progress, isError) {
  const p = panel(kind);
  if (!rendering) stopTicking(kind);
  const bar = p.querySelector("progress");
  bar.hidden = progress === null;
  if (progress !== null && progress !== undefined) { bar.max = progress.total; bar.value = progress.done; }
  const span = p.querySelector(".status span");
  span.textContent = text;
  span.className = isError ? "error" : "";
}

/** Posts a job, then follows its events: `onEvent` gets the job's results; progress and the end go to the panel. */
async function startJob(kind, url, body, onEvent) {
  stopFollowing(kind);
  delete jobStarted[kind];
  document.body.dataset[kind] = "queued";
  jobStatus(kind, "queued…", null);
  const response = await send(url, { method: "POST", body });
  const text = await response.text();
  if (!response.ok) {
    document.body.dataset[kind] = "refused";
    jobStatus(kind, text, null, true);
    return;
  }
  const id = JSON.parse(text).id;
  const source = new EventSource("api/jobs/" + id + "/events?token=" + encodeURIComponent(token));
  following[kind] = { id, source };
  source.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.type === "start") {
      document.body.dataset[kind] = "running";
      tick(kind, "running", { done: 0, total: 1 }, null);
    } else if (e.type === "progress") {
      tick(kind, e.stage + ": " + e.done + " of " + e.total + " " + e.unit + (e.note ? " (" + e.note + ")" : ""),
        { done: e.done, total: Math.max(1, e.total) }, e);
    } else if (e.type === "end") {
      source.close();
      delete following[kind];
      document.body.dataset[kind] = e.state;
      jobStatus(kind, e.state === "done" ? "done" : e.state + (e.message ? ": " + e.message : ""), null,
        e.state === "failed");
    } else {
      onEvent(e);
    }
  };
  source.onerror = () => {
    if (following[kind]?.source !== source) return;
    source.close();
    delete following[kind];
    document.body.dataset[kind] = "lost";
    jobStatus(kind, "lost the connection to the server", null, true);
  };
}

// ---- Progress with the time spent and the time left, counted on the page between the server's events ----

const ticking = {};    // job kind -> the timer that counts its status on
const jobStarted = {};  // job kind -> when the page saw it start (ms)
let rendering = false;  // jobStatus called by a tick (any other call stops the ticking)

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? s + " s" : Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
}

/**
 * Shows `text` with the time the job has run and, once the server has timed a step (its progress event's eta_s), the
 * time left: "about 42 s left". The clock counts on between events, once a second.
 */
function tick(kind, text, progress, event) {
  stopTicking(kind);
  const since = Date.now();
  const startedAt = jobStarted[kind] ?? (jobStarted[kind] = since);
  const eta = event && event.eta_s !== null && event.eta_s !== undefined ? event.eta_s : null;
  const render = () => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const left = eta === null ? "estimating the time left" : "about " + duration(eta - (Date.now() - since) / 1000) + " left";
    rendering = true;
    try {
      jobStatus(kind, text + " — " + duration(elapsed) + " so far, " + left, progress);
    } finally {
      rendering = false;
    }
  };
  render();
  ticking[kind] = setInterval(render, 1000);
}

function stopTicking(kind) {
  clearInterval(ticking[kind]);
  delete ticking[kind];
}

function stopFollowing(kind) {
  if (following[kind]) {
    following[kind].source.close();
    delete following[kind];
  }
}

async function cancelJob(kind) {
  const job = following[kind];
  if (!job) return;
  await send("api/jobs/" + job.id, { method: "DELETE" });
}

// ---- Accuracy under variation ----

function scoreAccuracy() {
  clearTimeout(settling); // "Score at this σ" while the slider settles: one run, not two
  settling = null;
  scored = true;
  reproduce();
  const params = state();
  for (const s of accuracySets()) params.append("set", s);
  const key = accuracyKey;
  // Without programmed devices the slider is off: the chips ran at no σ of programming.
  const sigma = $("sigma").disabled ? 0 : Number($("sigma").value);
  startJob("accuracy", "api/jobs/accuracy?" + params.toString(), null, (e) => {
    if (e.type !== "result" || key !== accuracyKey) return;
    const a = e.result.accuracy;
    window.lastAccuracy = e.result;
    if (e.result.activity?.source === "measured") showMeasured(e.result);
    accuracyPoints = accuracyPoints.filter((p) => p.sigma !== sigma);
    accuracyPoints.push({ sigma, mean: a.mean, std: a.std, min: a.min, max: a.max, quantized: a.quantized });
    accuracyPoints.sort((p, q) => p.sigma - q.sigma);
    accuracyChart();
  });
}

// The slider starts one job once it settles: each arrow-key press is a "change", so a run waits until no press has
// come for `settle` ms (a press or drag meanwhile starts the wait again).
const settle = 700;
let settling = null;

function scoreWhenSettled() {
  clearTimeout(settling);
  document.body.dataset.sigma = "settling";
  settling = setTimeout(() => {
    settling = null;
    document.body.dataset.sigma = "settled";
    scoreAccuracy();
  }, settle);
}

/** Accuracy against σ with error bars, on axes that fit the points. */
function accuracyChart() {
  const svg = $("accuracy-chart");
  const pinnedSeries = pinned.filter((b) => b.points.length > 0);
  const everyPoint = accuracyPoints.concat(...pinnedSeries.map((b) => b.points));
  $("accuracy-results").hidden = everyPoint.length === 0;
  svg.replaceChildren();
  svg.dataset.points = String(accuracyPoints.length);
  if (everyPoint.length === 0) return;
  const w = 520, h = 260, left = 50, bottom = 36, top = 10, right = 20;
  svg.setAttribute("width", w);
  svg.setAttribute("height", h);
  const sigmaStep = niceStep(Math.max(0.1, ...everyPoint.map((p) => p.sigma)));
  const maxSigma = sigmaStep * Math.ceil(Math.max(0.1, ...everyPoint.map((p) => p.sigma)) * 1.05 / sigmaStep);
  const lowest = Math.min(...everyPoint.map((p) => Math.min(p.min, p.mean - p.std)));
  const yStep = niceStep(1 - lowest);
  const yMin = Math.max(0, Math.floor(lowest / yStep) * yStep), yMax = 1;
  const x = (s) => left + (w - left - right) * s / maxSigma;
  const y = (a) => top + (h - top - bottom) * (yMax - a) / (yMax - yMin);
  axes(svg, w, h, left, bottom, top, right, "σ of programming (lognormal, relative to the conductance)",
    "test accuracy (%)");
  for (let a = yMin; a <= yMax + 1e-9; a += yStep) {
    svg.append(svgElement("text", { x: left - 6, y: y(a) + 4, "text-anchor": "end" }, +(100 * a).toFixed(1) + " %"));
  }
  for (let s = 0; s <= maxSigma + 1e-9; s += sigmaStep) {
    svg.append(svgElement("text", { x: x(s), y: h - bottom + 16, "text-anchor": "middle" }, +s.toFixed(3) + ""));
  }
  pinnedAccuracy(svg, pinnedSeries, x, y, w - right);
  if (accuracyPoints.length === 0) { fit(svg); accuracyNumbers(svg, pinnedSeries); return; }
  const q = accuracyPoints[0].quantized;
  svg.append(svgElement("line", { x1: left, x2: w - right, y1: y(q), y2: y(q), class: "reference" }));
  for (const p of accuracyPoints) {
    const group = svgElement("g", { class: "point", "data-sigma": p.sigma, "data-mean": p.mean });
    group.append(svgElement("line", { x1: x(p.sigma), x2: x(p.sigma), y1: y(p.min), y2: y(p.max), class: "whisker" }),
      svgElement("rect", { x: x(p.sigma) - 4, y: y(Math.min(1, p.mean + p.std)), width: 8,
        height: Math.max(1, y(p.mean - p.std) - y(Math.min(1, p.mean + p.std))), class: "spread" }),
      svgElement("circle", { cx: x(p.sigma), cy: y(p.mean), r: 3.5 }));
    svg.append(titled(group, (pinnedSeries.length > 0 ? "this design (" + designLabel() + "), " : "") + "σ = " + p.sigma
      + ": " + (100 * p.mean).toFixed(2) + " % ± " + (100 * p.std).toFixed(2)
      + " (worst chip " + (100 * p.min).toFixed(2) + " %, best " + (100 * p.max).toFixed(2) + " %)"));
  }
  fit(svg);
  accuracyNumbers(svg, pinnedSeries);
}

/**
 * The accuracy chart's table and keyboard marks: this design's points, then each pinned design's, every row and
 * readout naming its series (with pinned designs, "this design (…)" and "pinned 1 (…)").
 */
function accuracyNumbers(svg, pinnedSeries) {
  const row = (series, p) => [series, String(p.sigma),
    ...[p.mean, p.std, p.min, p.max, p.quantized].map((a) => (100 * a).toFixed(2) + " %")];
  const rows = accuracyPoints.map((p) => row(pinnedSeries.length > 0 ? "this design (" + designLabel() + ")" : "this design", p));
  pinnedSeries.forEach((b, i) => rows.push(...b.points.map((p) => row("pinned " + (i + 1) + " (" + b.label + ")", p))));
  dataTable(svg, ["series", "σ", "mean", "± std", "worst chip", "best chip", "ideal arrays"], rows);
  // The arrow keys go in the chart's order: the pinned series (drawn first, under this design's points), then these.
  keyboardReadout(svg, "g.point, g.pinned-point");
}

/** A round step (1, 2 or 5 times a power of ten) that cuts `range` into 3 to 6 parts. */
function niceStep(range) {
  const raw = Math.max(range, 1e-6) / 4;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => range / s <= 6);
}

function axes(svg, w, h, left, bottom, top, right, xLabel, yLabel) {
  svg.append(svgElement("line", { x1: left, x2: w - right, y1: h - bottom, y2: h - bottom, class: "axis" }),
    svgElement("line", { x1: left, x2: left, y1: top, y2: h - bottom, class: "axis" }),
    svgElement("text", { x: (left + w - right) / 2, y: h - 4, "text-anchor": "middle" }, xLabel),
    svgElement("text", { x: 12, y: (top + h - bottom) / 2, "text-anchor": "middle",
      transform: "rotate(-90 12 " + (top + h - bottom) / 2 + ")" }, yLabel));
}

// ---- Compression, step by step ----

async function runCompression(mode) {
  document.body.dataset.compress = "starting"; // at once: a waiting test (or student) never reads the last run's end
  const params = state();
  params.delete("network");
  params.set("mode", mode);
  params.set("projection", $("projection").value);
  for (const b of $("budgets").value.split(/[,\s]+/).filter((b) => b !== "")) params.append("keep", String(Number(b) / 100));
  params.set("epochs", $("epochs").value);
  params.set("training", $("training").value);
  if ($("purify").checked) params.set("purify", "true");
  if ($("quantize").value.trim() !== "") params.set("quantize", $("quantize").value.trim());
  reproduce();
  const response = await fetch("api/schedule?" + params.toString());
  const config = await response.text();
  if (!response.ok) {
    document.body.dataset.compress = "refused";
    jobStatus("compress", config, null, true);
    return;
  }
  const compare = mode === "compare";
  $("compress-yaml").textContent = config;
  $("compress-command").textContent = "abacim compress lenet5-page.yaml" + (compare ? " --compare" : "");
  $("compression-title").textContent = compare ? "Projections side by side, on the same budget"
    : "Compression, step by step";
  $("compression-results").hidden = false;
  compressedFor = designKey();
  compressionStale();
  $("compress-kept").hidden = true;
  window.compressionRows = [];
  $("steps-table").querySelector("tbody").replaceChildren();
  $("compare-maps").replaceChildren();
  stepsChart();
  startJob("compress", "api/jobs/compress" + (compare ? "?compare=true" : ""), config, (e) => {
    if (e.type !== "row") return;
    window.compressionRows.push(e);
    addStepRow(e, window.compressionRows.length - 1);
    stepsChart();
    show(e.point, e.step);
    if (compare) compareMap(e);
  });
}

function addStepRow(row, index) {
  const tr = document.createElement("tr");
  tr.dataset.index = String(index);
  for (const text of [row.step, (100 * row.accuracy).toFixed(2) + " %", (100 * row.sparsity).toFixed(1) + " %", row.weights,
    row.arrays + " (" + row.arrays_dense + ")", si(row.energy_J, "J"), row.area_in_use_mm2.toFixed(3) + " mm²"]) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
  }
  tr.addEventListener("click", () => show(row.point, row.step));
  $("steps-table").querySelector("tbody").appendChild(tr);
}

/** The design a compression runs on: the view's state without its network (compression is on LeNet-5). */
function designKey() {
  const params = state();
  params.delete("network");
  return params.toString();
}

/** Marks the compression results stale once the design they were run on is no longer the controls'. */
function compressionStale() {
  const stale = compressedFor !== null && compressedFor !== designKey();
  $("compression-results").classList.toggle("stale", stale);
  $("compression-stale").hidden = !stale;
}

/**
 * Accuracy and arrays (share of the dense mapping) after each step, as markers: no line joins them (projections
 * compared side by side are independent of each other; a step is a point, not a path).
 */
function stepsChart() {
  const svg = $("steps-chart");
  const rows = window.compressionRows;
  svg.replaceChildren();
  if (rows.length === 0) return;
  const w = 600, h = 260, left = 80, bottom = 60, top = 30, right = 40;
  svg.setAttribute("width", w);
  svg.setAttribute("height", h);
  const inset = 40; // the first step's markers and label clear the y axis
  const x = (i) => left + inset + (w - left - right - inset) * (rows.length === 1 ? 0.5 : i / (rows.length - 1));
  const y = (v) => top + (h - top - bottom) * (1 - v);
  axes(svg, w, h, left, bottom - 20, top, right, "", "share (%)");
  for (let t = 0; t <= 4; t++) svg.append(svgElement("text", { x: left - 6, y: y(t / 4) + 4, "text-anchor": "end" }, 25 * t + " %"));
  const series = [["accuracy", (r) => r.accuracy], ["arrays", (r) => r.arrays / r.arrays_dense]];
  series.forEach(([name, value], j) => {
    rows.forEach((r, i) => svg.append(titled(marker(name, x(i) + (j === 0 ? -4 : 4), y(value(r))),
      r.step + ": " + name + " " + (100 * value(r)).toFixed(1) + " %")));
  });
  rows.forEach((r, i) => svg.append(svgElement("text", { x: x(i), y: h - bottom + 4, "text-anchor": "end",
    transform: "rotate(-25 " + x(i) + " " + (h - bottom + 4) + ")", class: "tick" }, r.step)));
  const key = (name, cx) => { const m = marker(name, cx, 8); m.classList.add("key"); return m; };
  svg.append(key("accuracy", left + 4), svgElement("text", { x: left + 12, y: 12, class: "accuracy" }, "accuracy"),
    key("arrays", left + 104), svgElement("text", { x: left + 112, y: 12, class: "arrays" }, "arrays / dense mapping"),
    svgElement("text", { x: (left + w - right) / 2, y: h - 2, "text-anchor": "middle" },
      $("compression-title").textContent.startsWith("Projections") ? "projection (each from the same trained model)"
        : "step (each from the one before)"));
  fit(svg);
  dataTable(svg, ["step", "accuracy", "arrays / dense"], rows.map((r) =>
    [r.step, (100 * r.accuracy).toFixed(2) + " %", (100 * r.arrays / r.arrays_dense).toFixed(1) + " %"]));
  keyboardReadout(svg, ".marker");
}

/** A step's marker: a circle for accuracy, a square for arrays (told apart without colour). */
function marker(name, cx, cy) {
  return name === "accuracy" ? svgElement("circle", { cx, cy, r: 4, class: "marker " + name })
    : svgElement("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, class: "marker " + name });
}

/** A small placement map per compared projection, side by side. */
function compareMap(row) {
  const figure = document.createElement("figure");
  figure.dataset.chart = "compare-" + window.compressionRows.length;
  const caption = document.createElement("figcaption");
  caption.textContent = row.step + ": " + (100 * row.accuracy).toFixed(1) + " %, " + row.arrays + " of "
    + row.arrays_dense + " arrays";
  const svg = svgElement("svg", { role: "img", id: figure.dataset.chart, class: "small-map" });
  const arrays = row.point.layers.reduce((s, l) => s + Math.max(l.arrays, l.arrays_dense), 0);
  const cells = Math.min(arrays, 1296);
  placementMap(svg, row.point, { chip: false, size: 10, columns: Math.max(8, Math.ceil(Math.sqrt(2 * cells))), maxCells: 1296 });
  figure.append(caption, svg);
  $("compare-maps").append(figure);
  exportLinks(figure);
  svg.setAttribute("aria-label", "Placement map of " + chartName(figure));
}

// ---- Models from disk ----

async function upload(files) {
  let network = null;
  const rank = (name) => [".json", ".onnx", ".csv", ".npz"].findIndex((e) => name.toLowerCase().endsWith(e));
  for (const file of [...files].sort((a, b) => rank(a.name) - rank(b.name))) {
    const response = await send("api/models?name=" + encodeURIComponent(file.name), { method: "POST", body: file });
    const text = await response.text();
    if (!response.ok) {
      $("error").textContent = text;
      $("error").hidden = false;
      return;
    }
    network = network ?? JSON.parse(text).network;
  }
  if (network === null) return;
  if (![...$("network").options].some((o) => o.value === network)) $("network").append(new Option(baseName(network), network));
  $("network").value = network;
  // An entry in the browser's history like any view change: Back returns to the network before the upload, Forward
  // to the upload (named on the server: it is not sent again).
  rememberView();
  await update();
}

// ---- Chart export: every chart as an SVG file (styles written in) or a PNG ----

const styled = ["fill", "stroke", "stroke-width", "stroke-dasharray", "font-size", "font-family", "opacity"];

/**
 * The chart `id` as a standalone SVG document, with the page's styles written into its elements, framed with the
 * figure's title (its caption, units included) above and — for a placement map — its legend below.
 */
function chartSvg(id) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(framedChart(id).svg);
}

function framedChart(id) {
  const svg = $(id);
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll("*")], to = [copy, ...copy.querySelectorAll("*")];
  from.forEach((element, i) => {
    const computed = getComputedStyle(element);
    to[i].setAttribute("style", styled.map((p) => p + ":" + computed.getPropertyValue(p)).join(";"));
  });
  const chartWidth = Number(svg.getAttribute("width")), chartHeight = Number(svg.getAttribute("height"));
  const figure = svg.closest("figure");
  const title = figure ? chartName(figure) : id;
  const legend = figure && figure.querySelector("#legend") ? [...figure.querySelectorAll("#legend span")] : [];
  const font = "font-family:system-ui, sans-serif;fill:#1d2330;";
  const width = Math.max(chartWidth, 320), perRow = Math.max(1, Math.floor(width / 150));
  const titleLines = wrapText(title, Math.floor(width / 8.5));
  const head = 16 * titleLines.length + 10, foot = legend.length ? 18 * Math.ceil(legend.length / perRow) + 8 : 0;
  const height = head + chartHeight + foot;
  const out = svgElement("svg", { xmlns: ns, width, height, viewBox: "0 0 " + width + " " + height });
  out.append(svgElement("rect", { width: "100%", height: "100%", style: "fill:#fff" }));
  titleLines.forEach((line, i) =>
    out.append(svgElement("text", { x: 0, y: 14 + 16 * i, style: font + "font-size:13px;font-weight:600" }, line)));
  copy.removeAttribute("viewBox");
  copy.setAttribute("x", "0");
  copy.setAttribute("y", String(head));
  out.append(copy);
  legend.forEach((item, i) => {
    const x = (i % perRow) * 150, y = head + chartHeight + 8 + 18 * Math.floor(i / perRow);
    const swatch = item.style.getPropertyValue("--swatch") || "#1d2330";
    out.append(svgElement("rect", { x, y, width: 10, height: 10, style: "fill:" + swatch }),
      svgElement("text", { x: x + 14, y: y + 10, style: font + "font-size:12px" }, item.textContent));
  });
  return { svg: out, width, height };
}

function wrapText(text, columns) {
  const lines = [""];
  for (const word of text.split(/\s+/)) {
    if (lines[lines.length - 1].length + word.length + 1 > columns && lines[lines.length - 1] !== "") lines.push("");
    lines[lines.length - 1] += (lines[lines.length - 1] ? " " : "") + word;
  }
  return lines;
}

/** The chart `id` as a PNG (a data URL), drawn at twice its size. */
function chartPng(id) {
  const { width, height } = framedChart(id);
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = 2 * width;
      canvas.height = 2 * height;
      const context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0, width, height);
      resolve(canvas.toDataURL("image/png"));
    };
    image.onerror = reject;
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(chartSvg(id));
  });
}
window.chartSvg = chartSvg;
window.chartPng = chartPng;

function exportLinks(figure) {
  const id = figure.dataset.chart;
  const links = document.createElement("span");
  links.className = "export";
  for (const format of ["svg", "png"]) {
    const a = document.createElement("a");
    a.href = "#";
    a.textContent = format.toUpperCase();
    a.dataset.format = format;
    a.addEventListener("click", async (event) => {
      event.preventDefault();
      const url = format === "svg"
        ? URL.createObjectURL(new Blob([chartSvg(id)], { type: "image/svg+xml" })) : await chartPng(id);
      const download = document.createElement("a");
      download.href = url;
      download.download = "abacim-" + id + "." + format;
      download.click();
    });
    links.append(a);
  }
  figure.querySelector("figcaption").append(links);
}

// ---- For everyone: charts named, their numbers in a table, their marks readable from the keyboard ----

/** A figure's name: its caption without the export links. */
function chartName(figure) {
  const caption = figure.querySelector("figcaption").cloneNode(true);
  caption.querySelector(".export")?.remove();
  return caption.textContent.replace(/\s+/g, " ").trim();
}

/** Gives every chart its figure's caption as its accessible name. */
function nameCharts() {
  for (const figure of document.querySelectorAll("figure[data-chart]")) {
    const svg = figure.querySelector("svg");
    if (svg) svg.setAttribute("aria-label", chartName(figure));
  }
}

/** The chart's numbers as a table, in a "The numbers" disclosure under it. */
function dataTable(svg, headers, rows) {
  const figure = svg.closest("figure");
  if (!figure) return;
  let details = figure.querySelector(":scope > details.numbers");
  if (!details) {
    details = document.createElement("details");
    details.className = "numbers";
    const summary = document.createElement("summary");
    summary.textContent = "The numbers";
    details.append(summary, document.createElement("table"));
    details.querySelector("table").className = "data";
    figure.append(details);
  }
  const table = details.querySelector("table");
  const line = (cells, tag) => {
    const tr = document.createElement("tr");
    for (const c of cells) { const td = document.createElement(tag); td.textContent = c; tr.append(td); }
    return tr;
  };
  const head = document.createElement("thead"), body = document.createElement("tbody");
  head.append(line(headers, "th"));
  body.append(...rows.map((r) => line(r, "td")));
  table.replaceChildren(head, body);
}

/**
 * The chart's marks (bars, map cells, points) readable from the keyboard: the chart is one tab stop, the arrow keys
 * move between its marks (up and down by a row on a map), and the mark in focus — or under the mouse — is outlined
 * and its value written under the chart (read out by screen readers).
 */
function keyboardReadout(svg, selector) {
  svg.dataset.marks = selector;
  if (svg.dataset.keyboard) return;
  svg.dataset.keyboard = "1";
  svg.setAttribute("tabindex", "0");
  const readout = document.createElement("p");
  readout.className = "readout";
  readout.setAttribute("aria-live", "polite");
  (svg.closest("figure") ?? svg.parentNode)?.append(readout); // a map drawn before it is placed has no readout
  let active = -1;
  const marks = () => [...svg.querySelectorAll(svg.dataset.marks)].filter((m) => m.querySelector("title"));
  const select = (i) => {
    const all = marks();
    if (all.length === 0) return;
    active = Math.max(0, Math.min(all.length - 1, i));
    svg.querySelectorAll(".focused").forEach((m) => m.classList.remove("focused"));
    all[active].classList.add("focused");
    readout.textContent = all[active].querySelector("title").textContent;
  };
  svg.addEventListener("focus", () => select(active < 0 ? 0 : active));
  svg.addEventListener("blur", () => svg.querySelectorAll(".focused").forEach((m) => m.classList.remove("focused")));
  svg.addEventListener("keydown", (e) => {
    const row = Number(svg.dataset.columns ?? 1);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: row, ArrowUp: -row }[e.key];
    if (step !== undefined) select(active + step);
    else if (e.key === "Home") select(0);
    else if (e.key === "End") select(marks().length - 1);
    else return;
    e.preventDefault();
  });
  svg.addEventListener("mouseover", (e) => {
    const mark = e.target.closest(svg.dataset.marks);
    if (mark && mark.querySelector("title")) readout.textContent = mark.querySelector("title").textContent;
  });
}

// ---- Browser history: each change of the view is an entry, so Back and Forward undo and redo it ----

let committedView = null; // the address of the history entry the view was last committed to

/** After a control changed the view: the entry before keeps the previous view, a new entry holds this one. */
function rememberView() {
  const now = "?" + view().toString();
  if (committedView === null || now === committedView) { committedView = now; return; }
  history.replaceState(null, "", committedView);
  history.pushState(null, "", now);
  committedView = now;
  $("share").href = location.href;
}

/** Back or Forward: the entry's view comes back (its controls and its design point). */
function historyForViews() {
  committedView = location.search || "?" + view().toString();
  $("knobs").addEventListener("change", rememberView);
  $("whole-chip").addEventListener("change", rememberView);
  window.addEventListener("popstate", () => {
    restore(new URLSearchParams(location.search));
    offerKnobs();
    committedView = location.search;
    update();
  });
}

// ---- Details the labs ask for: area in use, index bits, the energy ledger by component and action ----

function details(r) {
  const inUse = r.area.in_use_mm2, total = r.area.total_mm2;
  $("area-in-use").textContent = inUse.toPrecision(4) + " mm² of " + total.toPrecision(4) + " mm² ("
    + (100 * inUse / total).toFixed(1) + " %)";
  $("area-in-use").dataset.value = String(inUse);
  $("index-bits").textContent = r.compression
    ? r.compression.index_bits.toLocaleString("en") + " bits (where the kept weights of partly pruned arrays are)"
    : "none (a dense network)";
  $("index-bits").dataset.value = r.compression ? String(r.compression.index_bits) : "";
  $("peak").textContent = people(r.peak.gops) + " GOPS";
  $("peak").dataset.value = String(r.peak.gops);
  activityDetails(r);
  const lines = (r.energy_ledger ?? []).slice().sort((a, b) => b.energy_J - a.energy_J);
  const total_J = lines.reduce((s, l) => s + l.energy_J, 0);
  $("ledger").querySelector("tbody").replaceChildren(...lines.map((l) => {
    const tr = document.createElement("tr");
    tr.dataset.component = l.component;
    tr.dataset.action = l.action;
    for (const text of [l.component, l.action, Math.round(l.count).toLocaleString("en"), si(l.energy_per_action_J, "J"),
      si(l.energy_J, "J"), (100 * l.energy_J / Math.max(total_J, 1e-300)).toFixed(1) + " %", l.source ?? ""]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

/**
 * A scored design whose activity was measured: its costs are priced by those counts, so the page shows that point
 * (summary, bars, ledger) and the activity per layer, not the costs-only point of the controls.
 */
function showMeasured(r) {
  show(r, undefined, described(state()) + " · activity measured on " + r.accuracy.samples + " test images");
}

/** Each layer's measured activity (hidden when the shown point's activity is the technology's tables'). */
function activityDetails(r) {
  const measured = r.activity?.source === "measured";
  $("activity-box").hidden = !measured;
  $("activity-box").dataset.source = r.activity?.source ?? "";
  if (!measured) return;
  $("activity-note").textContent = "The cost model charged row drives, reads and conversions by these counts"
    + " (activity.source: measured).";
  $("activity-layers").querySelector("tbody").replaceChildren(...(r.activity.layers ?? []).map((l) => {
    const tr = document.createElement("tr");
    tr.dataset.layer = l.name;
    tr.dataset.zeroInputs = String(l.zero_input_fraction);
    for (const text of [l.name, (100 * l.zero_input_fraction).toFixed(1) + " %", (100 * l.input_digit_density).toFixed(1) + " %",
      Number(l.adc_mean_code).toFixed(2), (100 * l.adc_saturation_fraction).toFixed(2) + " %"]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

// ---- Compare with a baseline: pinned designs, ghost bars and Δ % against the newest, one accuracy series each ----

let pinned = []; // {label, result, points}: the pinned designs, oldest first (at most five)
const pinColours = ["#b03a2e", "#7d3c98", "#117a65", "#b9770e", "#2e4053"];

function baselineControls() {
  // The ADC range is a drop-down: some drivers send it only "change" (a view already asked for is not asked again).
  document.querySelector("[data-path='adc.range']").addEventListener("change", () => {
    if (document.body.dataset.ready !== state().toString()) update();
  });
  $("pin-baseline").addEventListener("click", pinBaseline);
  $("clear-baselines").addEventListener("click", () => {
    pinned = [];
    baselineNote();
    if (window.lastResult) afterShow(window.lastResult);
    accuracyChart();
  });
}

/** The design as one line: preset, network and the knobs that are set. */
function designLabel() {
  const p = state();
  return [p.get("preset"), p.get("network"), ...p.getAll("set")].join(" ");
}

function pinBaseline() {
  if (!window.lastResult) return;
  pinned.push({ label: designLabel(), result: window.lastResult, points: accuracyPoints.map((p) => ({ ...p })) });
  if (pinned.length > 5) pinned.shift();
  baselineNote();
  afterShow(window.lastResult);
  accuracyChart();
}
window.pinBaseline = pinBaseline;

function baselineNote() {
  const base = pinned[pinned.length - 1];
  $("baseline-note").textContent = base ? "baseline: " + base.label + (pinned.length > 1 ? " (and " + (pinned.length - 1)
    + " earlier pinned on the accuracy chart)" : "") : "";
  document.body.dataset.pinned = String(pinned.length);
}

function deltaPercent(now, then) {
  return then === 0 ? (now === 0 ? 0 : Infinity) : 100 * (now - then) / then;
}

function deltaText(now, then) {
  const d = deltaPercent(now, then);
  return "Δ " + (d > 0 ? "+" : d < 0 ? "−" : "±") + Math.abs(d).toFixed(1) + " %";
}

/** After a design point is shown: Δ % beside the summary's figures and ghost bars of the newest baseline. */
function afterShow(r) {
  document.querySelectorAll("#summary .delta, svg .ghost").forEach((e) => e.remove());
  const base = pinned[pinned.length - 1];
  if (!base) return;
  const b = base.result;
  for (const [id, now, then] of [["area", r.area.total_mm2, b.area.total_mm2], ["power", r.power.total_W, b.power.total_W],
    ["energy", r.inference.energy_J, b.inference.energy_J], ["throughput", r.inference.fps, b.inference.fps],
    ["latency", r.inference.latency_s, b.inference.latency_s]]) {
    const span = document.createElement("span");
    span.className = "delta";
    span.dataset.delta = String(deltaPercent(now, then));
    span.textContent = " (" + deltaText(now, then) + " against the baseline)";
    $(id).append(span);
  }
  ghostBars($("energy-chart"), r.inference.energy_breakdown_J, b.inference.energy_breakdown_J, "J");
  ghostBars($("area-chart"), r.area.breakdown_mm2, b.area.breakdown_mm2, "mm²");
  ghostBars($("power-chart"), r.power.breakdown_W, b.power.breakdown_W, "W");
}

/** An outline over each bar at the baseline's value, on the bar's own scale (read from the drawn bars). */
function ghostBars(svg, now, then, unit) {
  const rects = [...svg.querySelectorAll("rect[data-component]")];
  const scaled = rects.filter((e) => now[e.dataset.component] > 0);
  if (scaled.length === 0) return;
  const widest = scaled.reduce((a, e) => (now[e.dataset.component] > now[a.dataset.component] ? e : a));
  const perUnit = Number(widest.getAttribute("width")) / now[widest.dataset.component];
  const room = Number(widest.getAttribute("width"));
  for (const rect of rects) {
    const name = rect.dataset.component, v = then[name] ?? 0;
    rect.dataset.delta = String(deltaPercent(now[name], v));
    const width = Math.min(room, perUnit * v);
    const ghost = svgElement("rect", { x: rect.getAttribute("x"), y: Number(rect.getAttribute("y")) - 2, width: Math.max(1, width),
      height: Number(rect.getAttribute("height")) + 4, class: "ghost", "data-component": name, "data-baseline": v });
    svg.append(titled(ghost, name + " in the baseline: " + si(v, unit) + (perUnit * v > room ? " (beyond the scale)" : "")
      + "; now " + deltaText(now[name], v)));
  }
}

/** The pinned designs' accuracy points on the accuracy chart: one marker series each, and a legend. */
function pinnedAccuracy(svg, series, x, y, right) {
  if (series.length === 0) return;
  series.forEach((b, i) => {
    const colour = pinColours[pinned.indexOf(b) % pinColours.length];
    const group = svgElement("g", { class: "pinned-series", "data-series": String(i), "data-points": String(b.points.length),
      "data-label": b.label });
    for (const p of b.points) {
      const cx = x(p.sigma) + 6 * (i + 1), cy = y(p.mean);
      const mark = svgElement("g", { class: "pinned-point", "data-sigma": p.sigma, "data-mean": p.mean });
      mark.append(svgElement("line", { x1: cx, x2: cx, y1: y(p.min), y2: y(p.max), stroke: colour }),
        svgElement("rect", { x: cx - 3.5, y: cy - 3.5, width: 7, height: 7, fill: colour, transform: "rotate(45 " + cx + " " + cy + ")" }));
      group.append(titled(mark, "pinned " + (i + 1) + " (" + b.label + "), σ = " + p.sigma + ": " + (100 * p.mean).toFixed(2)
        + " % ± " + (100 * p.std).toFixed(2)));
    }
    group.append(svgElement("text", { x: right - 4, y: 14 + 14 * i, "text-anchor": "end", fill: colour },
      "◆ pinned " + (i + 1) + ": " + (b.label.length > 60 ? b.label.slice(0, 59) + "…" : b.label)));
    svg.append(group);
  });
  svg.append(svgElement("text", { x: right - 4, y: 14 + 14 * series.length, "text-anchor": "end" }, "● this design"));
}

// ---- Labs on the page: each step of docs/labs as a control that sets every input it needs, runs it, and checks ----
// ---- what the page obtained against the lab's expected results (labs.json: the same data LabsTest reads) ----

let labs = [];                  // labs.json's labs
const labResults = {};          // lab -> the lab's command number -> what the page obtained
window.labResults = labResults;

async function loadLabs() {
  try {
    const response = await fetch("labs.json");
    if (!response.ok) return;
    labs = (await response.json()).labs;
  } catch (e) {
    return;
  }
  for (const lab of labs) {
    const p = document.createElement("p");
    p.append("Lab " + lab.lab + ", " + lab.title + ": ");
    for (const step of lab.steps) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "lab-step";
      button.dataset.lab = String(lab.lab);
      button.dataset.step = step.step;
      button.textContent = "Lab " + lab.lab + " · step " + step.step;
      button.title = step.label + " (as the lab's command [" + step.command + "])";
      button.setAttribute("aria-label", "Lab " + lab.lab + " step " + step.step + ": " + step.label);
      button.addEventListener("click", () => runLabStep(lab, step));
      p.append(button, " ");
    }
    $("lab-steps").append(p);
  }
}

/** Sets every input the step names; knobs it does not name go back to the preset's value. */
function applyLabView(v) {
  const paths = knobs().map((input) => input.dataset.path);
  const unknown = v.set.map((s) => s.slice(0, s.indexOf("="))).filter((k) => !paths.includes(k));
  if (unknown.length > 0) throw new Error("the page has no knob " + unknown.join(", "));
  // The lab's view as an address, so that it is restored as Back restores one; what the step does not name stays.
  const params = new URLSearchParams({ preset: v.preset, network: v.network });
  for (const s of v.set) params.append("set", s);
  for (const id of pageControls) params.set(id, v[id] !== undefined ? v[id] : $(id).value);
  params.set("purify", String(v.purify ?? $("purify").checked));
  if (scored) params.set("score", "1");
  if (!$("whole-chip").checked) params.set("chip", "0");
  restore(params);
  offerKnobs();
}

/** Resolves with a job's last state once the panel of `kind` has one. */
function jobEnd(kind) {
  const ends = ["done", "failed", "cancelled", "refused", "lost"];
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    const check = () => {
      const s = document.body.dataset[kind];
      if (ends.includes(s)) {
        observer.disconnect();
        resolve(s);
      }
    };
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-" + kind] });
    check();
  });
}

async function runLabStep(lab, step) {
  const id = "lab" + lab.lab + "-" + step.step;
  document.body.dataset.lab = id + " running";
  let obtained = null;
  try {
    if (step.action !== "kept") { // a kept schedule is the lab's own config: it names its design itself
      applyLabView(step.view);
      await update();
    }
    if (step.action === "kept") {
      obtained = await runKeptSchedule(step);
    } else if (step.refused) {
      obtained = await labRefusal(step);
    } else if (!$("error").hidden) {
      throw new Error($("error").textContent);
    } else if (step.action === "point") {
      obtained = window.lastResult;
    } else if (step.action === "score") {
      window.lastAccuracy = null;
      scoreAccuracy();
      if (await jobEnd("accuracy") === "done") obtained = window.lastAccuracy;
    } else {
      runCompression(step.action);
      if (await jobEnd("compress") === "done") {
        const before = (labResults[lab.lab] ?? {})[step.command] ?? [];
        const names = window.compressionRows.map((r) => r.step);
        obtained = before.filter((r) => !names.includes(r.step)).concat(window.compressionRows);
      }
    }
  } catch (e) {
    $("lab-check-caption").textContent = "Lab " + lab.lab + " · step " + step.step + ": " + e.message;
  }
  if (obtained) (labResults[lab.lab] = labResults[lab.lab] ?? {})[step.command] = obtained;
  labCheck(lab, step);
  document.body.dataset.lab = id + (obtained ? " done" : " failed");
}

/**
 * A lab's own compress config (docs/labs/NAME.yaml, in the jar as labs/NAME.yaml), run as a job that keeps its last
 * model among the server's uploads: its rows stream into the compression table, and the kept weight map becomes a
 * network choice (and the accuracy model when it is chosen). Resolves with the rows; throws if the job did not end
 * done with a kept model.
 */
async function runKeptSchedule(step) {
  document.body.dataset.compress = "starting"; // at once: a waiting test (or student) never reads the last run's end
  const response = await fetch("labs/" + encodeURIComponent(step.schedule));
  const config = await response.text();
  if (!response.ok) throw new Error("labs/" + step.schedule + ": " + config);
  $("compress-yaml").textContent = config;
  $("compress-command").textContent = "abacim compress docs/labs/" + step.schedule;
  $("compression-title").textContent = "Compression, step by step: " + step.schedule + " (its model kept)";
  $("compression-results").hidden = false;
  compressedFor = null; // the lab's config names its own design: the results are never the controls' to go stale
  compressionStale();
  window.compressionRows = [];
  $("steps-table").querySelector("tbody").replaceChildren();
  $("compare-maps").replaceChildren();
  stepsChart();
  let kept = null;
  startJob("compress", "api/jobs/compress?keep=true", config, (e) => {
    if (e.type === "kept") {
      kept = e.kept;
      offerNetwork(kept);
      jobStatus("compress", "kept the model as " + kept + ": choose it as the network", null);
      return;
    }
    if (e.type !== "row") return;
    window.compressionRows.push(e);
    addStepRow(e, window.compressionRows.length - 1);
    stepsChart();
    show(e.point, e.step);
  });
  $("compress-kept").hidden = true;
  const end = await jobEnd("compress");
  if (end !== "done") throw new Error(panel("compress").querySelector(".status span").textContent);
  if (kept === null) throw new Error("the compress job kept no model");
  $("compress-kept").textContent = "Kept as " + kept + " among this server's models: choose it as the network.";
  $("compress-kept").hidden = false;
  return window.compressionRows.slice();
}

/** A model kept by the server (or sent from disk) among the network choices, by its file name. */
function offerNetwork(name) {
  if (![...$("network").options].some((o) => o.value === name)) $("network").append(new Option(baseName(name), name));
}

/**
 * A step whose command the CLI refuses: the page must refuse it too, in the same words. A refusal the page shows
 * (the design's, above the results, or a scoring job's, in its panel) counts as the CLI's exit 2 with that message.
 */
async function labRefusal(step) {
  let message = $("error").hidden ? null : $("error").textContent;
  if (message === null && step.action === "score") {
    window.lastAccuracy = null;
    scoreAccuracy();
    const end = await jobEnd("accuracy");
    if (end === "failed" || end === "refused") {
      message = panel("accuracy").querySelector(".status span").textContent.replace(/^failed: /, "");
    }
  }
  if (message === null) throw new Error("the lab expects a refusal; the page got a result");
  return { exit: 2, stderr: message };
}

/** The lab's expected results against what the page obtained so far (a row waits for the steps it needs). */
function labCheck(lab, step) {
  const results = labResults[lab.lab] ?? {};
  $("lab-check").hidden = false;
  $("lab-check-caption").textContent = "Lab " + lab.lab + " (" + lab.doc + "), after step " + step.step
    + ": expected against obtained on this page";
  $("lab-check").querySelector("tbody").replaceChildren(...lab.expect.map(([what, value, expected, within]) => {
    let obtained = "— (a later step)", ok = "pending";
    try {
      const judged = labJudge(value, expected, within, results);
      obtained = judged.obtained;
      ok = String(judged.ok);
    } catch (e) {
      if (!(e instanceof LabPending)) { obtained = e.message; ok = "false"; }
    }
    const tr = document.createElement("tr");
    tr.dataset.ok = ok;
    tr.dataset.value = value;
    for (const text of [what, value, expected + (within ? " ± " + within : ""), obtained,
      ok === "true" ? "✓" : ok === "false" ? "✗" : ""]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
}

class LabPending extends Error {}

/** `[N] path` in command N's result (`a.b`, `list[2]`, `list[name]`, a leading `[name]`), as LabsTest reads it. */
function labAt(results, n, path) {
  let node = results[n];
  if (node === undefined) throw new LabPending("[" + n + "] not run yet");
  const step = /([^.\[]*)(?:\[([^\]]+)\])?\.?/g;
  let from = 0;
  while (from < path.length) {
    step.lastIndex = from;
    const m = step.exec(path);
    if (!m || step.lastIndex <= from) break;
    from = step.lastIndex;
    if (m[1]) node = node?.[m[1]];
    if (m[2] !== undefined) {
      node = !Array.isArray(node) ? undefined : /^\d+$/.test(m[2]) ? node[Number(m[2])]
        : node.find((e) => ["name", "step", "component"].some((f) => e[f] === m[2]));
    }
    if (node === undefined || node === null) throw new Error("no " + path + " in [" + n + "]");
  }
  return node;
}

function labValue(expression, results) {
  const m = expression.trim().match(/^\[(\d+)\]\s+([^/]+?)\s*(?:\/\s*\[(\d+)\]\s+(.+))?$/);
  if (!m) throw new Error("not a value: " + expression);
  const left = labAt(results, m[1], m[2].trim());
  return m[3] === undefined ? left : Number(left) / Number(labAt(results, m[3], m[4].trim()));
}

function labNumber(v) {
  return Number.isInteger(v) ? String(v) : Number(v).toPrecision(5);
}

function labJudge(value, expected, within, results) {
  const actual = labValue(value, results);
  if (expected.startsWith("contains ")) {
    const needle = expected.slice("contains ".length).replace(/"/g, "");
    return { obtained: String(actual), ok: String(actual).includes(needle) };
  }
  const comparison = expected.match(/^(<|>|=|≤|≥)\s*(.+)$/);
  if (comparison) {
    const right = comparison[2].startsWith("[") ? Number(labValue(comparison[2], results)) : Number(comparison[2]);
    const left = Number(actual);
    const ok = { "<": left < right, ">": left > right, "=": left === right, "≤": left <= right, "≥": left >= right }[comparison[1]];
    return { obtained: labNumber(left) + " (against " + labNumber(right) + ")", ok };
  }
  const number = Number(expected);
  if (isNaN(number)) return { obtained: String(actual), ok: String(actual) === expected };
  const tolerance = within === "" ? 0 : within.endsWith("%") ? Math.abs(number) * parseFloat(within) / 100 : Number(within);
  return { obtained: labNumber(Number(actual)), ok: Math.abs(Number(actual) - number) <= tolerance * (1 + 1e-9) + 1e-15 };
}

async function start() {
  const catalog = await (await fetch("api/catalog")).json();
  builtIn = catalog.networks;
  presetKeys = catalog.keys || {};
  presetValues = catalog.values || {};
  for (const [id, names] of [["preset", catalog.presets], ["network", catalog.networks]]) {
    for (const name of names) $(id).append(new Option(name, name));
  }
  $("preset").value = catalog.presets.includes("isaac") ? "isaac" : catalog.presets[0];
  $("network").value = catalog.networks.includes("lenet5") ? "lenet5" : catalog.networks[0];
  restore(new URLSearchParams(location.search));
  offerKnobs();
  $("preset").addEventListener("change", offerKnobs);
  document.querySelectorAll("figure[data-chart]").forEach(exportLinks);
  nameCharts();
  for (const id of ["preset", "network"]) $(id).addEventListener("change", update);
  for (const input of knobs()) input.addEventListener("input", update);
  for (const id of pageControls.concat(["purify"])) $(id).addEventListener("change", reproduce);
  for (const id of ["dataset", "trials", "samples"]) $(id).addEventListener("change", update);
  $("sigma").addEventListener("input", () => {
    $("sigma-value").textContent = Number($("sigma").value).toFixed(2);
    if (settling !== null) scoreWhenSettled();
  });
  $("sigma").addEventListener("change", scoreWhenSettled);
  $("run-accuracy").addEventListener("click", scoreAccuracy);
  $("run-steps").addEventListener("click", () => runCompression("steps"));
  $("run-compare").addEventListener("click", () => runCompression("compare"));
  for (const kind of ["accuracy", "compress"]) panel(kind).querySelector(".cancel").addEventListener("click", () => cancelJob(kind));
  $("model-file").addEventListener("change", (e) => upload(e.target.files));
  $("whole-chip").addEventListener("change", () => { reproduce(); if (mapShown) showMap(...mapShown); });
  // A link restores the view, its accuracy settings included, but never starts a job by itself: opening a link
  // someone sent must not set the server to work. The student presses "Score at this σ".
  baselineControls();
  await loadLabs();
  await update();
  historyForViews();
}

start();
