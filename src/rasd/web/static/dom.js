// What every Rasd page builds its DOM and reads the API with, loaded before the page's own script.
// Everything that comes from a report goes into a page as text nodes, never as HTML, and bidi
// control characters in it are shown as visible marks ([RLO] …), not obeyed.
"use strict";

window.RasdDom = (function () {
  // Bidi embeddings, overrides, isolates and marks: shown as [RLO] etc., never applied.
  const CONTROL_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM",
  };
  const CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

  const $ = (id) => document.getElementById(id);

  // Attributes are set with setAttribute (null ones skipped); children are nodes, arrays or
  // values, and a value becomes text, so report text is never parsed as HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) append(node, child);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { for (const item of child) append(node, item); return; }
    if (child instanceof Node) node.appendChild(child);
    else node.appendChild(safeText(String(child)));
  }

  // Report text as nodes: plain text, with any bidi control made visible and inert.
  function safeText(value) {
    if (!CONTROLS.test(value)) return document.createTextNode(value);
    const fragment = document.createDocumentFragment();
    let run = "";
    for (const ch of value) {
      if (CONTROL_NAMES[ch]) {
        if (run) fragment.appendChild(document.createTextNode(run));
        run = "";
        const mark = document.createElement("span");
        mark.className = "ctrl";
        mark.title = "U+" + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
        mark.textContent = CONTROL_NAMES[ch];
        fragment.appendChild(mark);
      } else {
        run += ch;
      }
    }
    if (run) fragment.appendChild(document.createTextNode(run));
    return fragment;
  }

  // A value from a report inside an isolate, so its direction cannot reorder what surrounds it.
  function iso(value, tag = "bdi") {
    return el(tag, { dir: "auto" }, value === null || value === undefined ? "—" : value);
  }

  function setStatus(message, isError) {
    const status = $("status");
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  // The API's JSON with the session cookie; a non-2xx answer throws an Error carrying .status
  // and the server's detail.
  async function fetchJSON(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
    let body = null;
    try {
      body = await response.json();
    } catch (_error) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
      const error = new Error(`${response.status}: ${detail}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  return { $, el, append, safeText, iso, setStatus, fetchJSON };
})();
