// Rasd's page: filters, a map and a timeline of events, and one event with its evidence.
// Everything that comes from a report is put in the page as text, through dom.js (loaded first).
"use strict";

(function () {
  const TYPE_CLASS = {
    "Battles": "type-battles",
    "Violence against civilians": "type-vac",
    "Explosions/Remote violence": "type-explosions",
    "Riots": "type-riots",
    "Protests": "type-protests",
    "Strategic developments": "type-strategic",
  };
  const TYPE_COLOR = {
    "type-battles": "#b3261e", "type-vac": "#7b1fa2", "type-explosions": "#e65100",
    "type-riots": "#2e7d32", "type-protests": "#1565c0", "type-strategic": "#546e7a",
  };
  // Radius in metres of the circle drawn for a place known only to this precision.
  const PRECISION_METRES = {
    point: 500, city: 5000, admin2: 25000, admin1: 100000, country: 300000, region: 800000,
  };
  const DAY = 86400000;
  // Shortest bar per date precision, so precision stays visible on a timeline of many years.
  const MIN_BAR = { day: 4, week: 7, month: 11, year: 16 };
  const PAGE = 2000;
  const state = {
    events: [], selected: null, map: null, markers: new Map(), circles: null, csrf: null,
  };
  const { $, el, append, iso, setStatus, fetchJSON } = window.RasdDom;

  // Logins happen on the review page; this page only follows the session cookie it sets and
  // echoes the session's CSRF token on writes (an upload), as every write must.
  function getJSON(url, options) {
    const init = Object.assign({}, options || {});
    if (init.method && init.method !== "GET" && state.csrf) {
      init.headers = Object.assign({}, init.headers, { "x-csrf-token": state.csrf });
    }
    return fetchJSON(url, init);
  }

  // The server wants a login (the default: reports can name witnesses and victims): say so and
  // point to where one logs in, instead of an empty map.
  function showSignIn() {
    const status = $("status");
    status.replaceChildren("Sign in to see the events: ",
      el("a", { href: "/review", id: "sign-in" }, "log in on the review page"),
      ", then come back here.");
    status.classList.add("error");
    document.body.dataset.auth = "needed";
  }

  function showError(error) {
    if (error.status === 401) showSignIn();
    else setStatus(error.message, true);
  }

  // ---- filters ------------------------------------------------------------------------------

  function filterParams() {
    const form = $("filters");
    const params = new URLSearchParams();
    for (const name of ["q", "date_from", "date_to", "country", "admin1", "event_type", "actor",
      "fatalities_min", "fatalities_max"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (form.elements.in_view.checked && state.map) {
      const b = state.map.getBounds();
      const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
      params.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
        clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(","));
    }
    return params;
  }

  async function loadEvents() {
    const params = filterParams();
    params.set("limit", String(PAGE));
    try {
      const page = await getJSON("/api/events?" + params.toString());
      state.events = page.items;
      const shown = page.total > page.items.length ? ` (first ${page.items.length} shown)` : "";
      setStatus(`${page.total} event${page.total === 1 ? "" : "s"}${shown}`);
    } catch (error) {
      state.events = [];
      showError(error);
    }
    drawMap();
    drawTimeline();
    drawList();
  }

  // ---- map ----------------------------------------------------------------------------------

  async function initMap() {
    const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([30, 45], 3);
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth");
    state.map = map;
    state.circles = L.layerGroup().addTo(map);
    try {
      const world = await getJSON("/static/vendor/world-atlas/countries-50m.json");
      const countries = topojson.feature(world, world.objects.countries);
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#9aa3ad", weight: 0.6, fillColor: "#f1eee6", fillOpacity: 1 },
      }).addTo(map);
    } catch (error) {
      setStatus("base map: " + error.message, true);
    }
  }

  function markerRadius(best) {
    return best === null || best === undefined ? 5 : 5 + 4 * Math.log10(1 + best);
  }

  function drawMap() {
    const map = state.map;
    for (const marker of state.markers.values()) marker.remove();
    state.markers.clear();
    state.circles.clearLayers();
    const points = [];
    for (const event of state.events) {
      if (event.latitude === null || event.longitude === null) continue;
      const latlng = [event.latitude, event.longitude];
      points.push(latlng);
      const typeClass = TYPE_CLASS[event.event_type] || "type-strategic";
      L.circle(latlng, {
        radius: PRECISION_METRES[event.geo_precision] || 5000,
        interactive: false, color: TYPE_COLOR[typeClass], weight: 1, dashArray: "4 4",
        fillOpacity: 0.05, className: "precision-circle",
      }).addTo(state.circles);
      const marker = L.circleMarker(latlng, {
        radius: markerRadius(event.fatalities_best),
        color: "#fff", weight: 1, fillColor: TYPE_COLOR[typeClass], fillOpacity: 0.75,
        className: "rasd-marker",
      });
      marker.bindTooltip(el("div", {}, iso(event.location), " · ", event.event_type, " · ",
        "deaths ", iso(event.fatalities_best)));
      marker.on("click", () => openEvent(event.id));
      marker.addTo(map);
      marker.getElement().dataset.eventId = event.id;
      state.markers.set(event.id, marker);
    }
    if (points.length && !$("filters").elements.in_view.checked) {
      map.fitBounds(L.latLngBounds(points).pad(0.5), { maxZoom: 7 });
    }
  }

  // ---- timeline -----------------------------------------------------------------------------

  function dayOf(iso) {
    return iso ? Date.parse(iso + "T00:00:00Z") : null;
  }

  function drawTimeline() {
    const box = $("timeline");
    box.replaceChildren();
    const dated = state.events.filter((e) => e.date_start);
    if (!dated.length) {
      box.appendChild(el("p", { class: "status" }, "no dated events"));
      return;
    }
    const spans = dated.map((e) => ({
      event: e, start: dayOf(e.date_start), end: dayOf(e.date_end || e.date_start) + DAY,
    }));
    let lo = Math.min(...spans.map((s) => s.start));
    let hi = Math.max(...spans.map((s) => s.end));
    const pad = Math.max((hi - lo) * 0.03, 15 * DAY);
    lo -= pad;
    hi += pad;
    // Greedy lanes: a bar goes in the first lane whose last bar ended before it starts.
    spans.sort((a, b) => a.start - b.start || a.end - b.end);
    const width = Math.max(box.clientWidth - 4, 400);
    const x = (t) => 8 + ((t - lo) / (hi - lo)) * (width - 16);
    const lanes = [];
    for (const span of spans) {
      const left = x(span.start);
      let lane = lanes.findIndex((end) => end + 2 <= left);
      if (lane === -1) { lane = lanes.length; lanes.push(0); }
      span.width = Math.max(x(span.end) - left, MIN_BAR[span.event.date_precision] || 4);
      lanes[lane] = left + span.width;
      span.lane = lane;
    }
    const laneHeight = 14;
    const height = 24 + lanes.length * laneHeight + 6;
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Timeline of events");
    const axis = document.createElementNS(ns, "g");
    axis.setAttribute("class", "tl-axis");
    for (const tick of ticks(lo, hi)) {
      const line = document.createElementNS(ns, "line");
      line.setAttribute("x1", x(tick.t)); line.setAttribute("x2", x(tick.t));
      line.setAttribute("y1", 16); line.setAttribute("y2", height);
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", x(tick.t) + 2); label.setAttribute("y", 12);
      label.textContent = tick.label;
      axis.append(line, label);
    }
    svg.appendChild(axis);
    for (const span of spans) {
      const e = span.event;
      const rect = document.createElementNS(ns, "rect");
      const left = x(span.start);
      rect.setAttribute("x", left);
      rect.setAttribute("y", 22 + span.lane * laneHeight);
      rect.setAttribute("width", span.width);
      rect.setAttribute("height", laneHeight - 4);
      rect.setAttribute("class", `tl-bar ${TYPE_CLASS[e.event_type] || "type-strategic"} ` +
        `precision-${e.date_precision || "day"}`);
      rect.dataset.eventId = e.id;
      const title = document.createElementNS(ns, "title");
      title.textContent = `${e.date_start} – ${e.date_end || e.date_start} (${e.date_precision || "?"})` +
        ` · ${e.event_type} · ${e.location || ""}`;
      rect.appendChild(title);
      rect.addEventListener("click", () => openEvent(e.id));
      svg.appendChild(rect);
    }
    box.appendChild(svg);
    highlightSelected();
  }

  function ticks(lo, hi) {
    const out = [];
    const years = (hi - lo) / (365 * DAY);
    const start = new Date(lo);
    if (years > 2) {
      const step = Math.ceil(years / 12);
      for (let y = start.getUTCFullYear() + 1; Date.UTC(y, 0, 1) < hi; y += step) {
        out.push({ t: Date.UTC(y, 0, 1), label: String(y) });
      }
    } else {
      const months = Math.max(1, Math.ceil((years * 12) / 12));
      for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
        d.getTime() < hi; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))) {
        out.push({ t: d.getTime(), label: d.toISOString().slice(0, 7) });
      }
    }
    return out;
  }

  // ---- list and event view ------------------------------------------------------------------

  function dateRange(e) {
    if (!e.date_start) return "undated";
    const end = e.date_end && e.date_end !== e.date_start ? ` – ${e.date_end}` : "";
    return `${e.date_start}${end}`;
  }

  function drawList() {
    const list = $("event-list");
    list.replaceChildren();
    const items = state.events.map((e) => {
      const li = el("li", { tabindex: "0", dataset: { eventId: e.id } },
        el("span", { class: "when" }, dateRange(e)), " · ", e.event_type, " · ", iso(e.location),
        e.fatalities_best !== null ? [" · deaths ", iso(e.fatalities_best)] : null);
      li.addEventListener("click", () => openEvent(e.id));
      li.addEventListener("keydown", (k) => { if (k.key === "Enter") openEvent(e.id); });
      return li;
    });
    list.appendChild(el("ol", {}, ...items));
  }

  function highlightSelected() {
    for (const node of document.querySelectorAll(".tl-bar.selected, .rasd-marker.selected")) {
      node.classList.remove("selected");
    }
    if (!state.selected) return;
    for (const node of document.querySelectorAll(".tl-bar, .rasd-marker")) {
      if (node.dataset.eventId === state.selected) node.classList.add("selected");
    }
  }

  function figures(low, best, high) {
    if (low === null && best === null && high === null) return "—";
    const show = (v) => (v === null || v === undefined ? "?" : String(v));
    return `${show(best)} (low ${show(low)}, high ${show(high)})`;
  }

  // The value an evidence span supports, as shown beside the highlighted span.
  function evidenceValue(event, field) {
    const loc = event.location || {};
    switch (field) {
      case "date":
        return `${event.date_start || "?"} – ${event.date_end || "?"} (${event.date_precision || "?"})`;
      case "location":
        return [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ") + ` (${loc.precision || "?"})`;
      case "fatalities": case "injured": case "detained": {
        const f = event[field] || {};
        return figures(f.low, f.best, f.high);
      }
      case "actor1": case "actor2":
        return event[field] ? event[field].name : "—";
      case "event_type":
        return [event.event_type, event.sub_event_type].filter(Boolean).join(" / ");
      default: {
        const value = event[field];
        return value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      }
    }
  }

  function claimLabel(claim) {
    const who = claim.attributed_to ? ` according to ${claim.attributed_to}` : "";
    return `${claim.quantity} ${figures(claim.low, claim.best, claim.high)} · ${claim.qualifier}${who}`;
  }

  // Report text with spans highlighted; offsets are code points (Python str indices), so the
  // text is indexed as an array of code points, not UTF-16 units.
  function renderReport(text, lang, spans) {
    const chars = Array.from(text);
    const bounds = new Set([0, chars.length]);
    const valid = spans.filter((s) => s.start >= 0 && s.end <= chars.length && s.start < s.end);
    for (const s of valid) { bounds.add(s.start); bounds.add(s.end); }
    const cuts = [...bounds].sort((a, b) => a - b);
    const report = el("div", { class: "report", dir: lang === "ar" ? "rtl" : "ltr", lang });
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      const piece = chars.slice(a, b).join("");
      const covering = valid.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) {
        append(report, piece);
      } else {
        const kinds = covering.map((s) => s.kind);
        const mark = el("mark", {
          class: kinds.includes("evidence") ? "evidence" : "claim",
          dataset: { fields: covering.map((s) => s.field).join(" ") },
        }, piece);
        report.appendChild(mark);
      }
      for (const s of valid.filter((s) => s.end === b)) {
        report.appendChild(el("span", { class: "value", dataset: { field: s.field } },
          el("bdi", {}, s.field), ": ", iso(s.value)));
      }
    }
    return report;
  }

  async function openEvent(id) {
    state.selected = id;
    highlightSelected();
    if (location.hash !== "#event=" + encodeURIComponent(id)) {
      history.replaceState(null, "", "#event=" + encodeURIComponent(id));
    }
    const view = $("event-view");
    let data;
    try {
      data = await getJSON("/api/events/" + encodeURIComponent(id));
    } catch (error) {
      showError(error);
      return;
    }
    const e = data.event;
    const loc = e.location || {};
    const back = el("button", { type: "button", class: "back" }, "← all events");
    back.addEventListener("click", closeEvent);
    const actors = [e.actor1, e.actor2, ...(e.assoc_actors || [])].filter(Boolean);
    const dl = el("dl", {},
      el("dt", {}, "Date"), el("dd", {}, dateRange(e), " ", el("small", {}, `(${e.date_precision || "?"})`)),
      el("dt", {}, "Place"), el("dd", {}, iso(loc.name), loc.admin1 ? [", ", iso(loc.admin1)] : null,
        loc.country ? ` (${loc.country})` : null, loc.precision ? ` · ${loc.precision}` : null),
      el("dt", {}, "Actors"), el("dd", {}, ...actors.flatMap((a, i) => [i ? " · " : null, iso(a.name)])),
      el("dt", {}, "Fatalities"), el("dd", {}, figures(e.fatalities.low, e.fatalities.best, e.fatalities.high)),
      el("dt", {}, "Injured"), el("dd", {}, figures(e.injured.low, e.injured.best, e.injured.high)),
      el("dt", {}, "Detained"), el("dd", {}, figures(e.detained.low, e.detained.best, e.detained.high)),
      el("dt", {}, "Grade"), el("dd", {}, e.grade || "—"),
      el("dt", {}, "Status"), el("dd", {}, data.status),
    );
    const claims = el("ol", { class: "claims" }, ...e.claims.map((c) =>
      el("li", {}, claimLabel(c), " — ", el("q", { lang: "ar", dir: "auto" }, c.span.text))));
    const flags = el("ul", { class: "flags" }, ...e.flags.map((f) =>
      el("li", {}, el("strong", {}, f.kind), ": ", iso(f.message))));
    // the same event as other reports tell it: figures side by side, contradictions flagged
    const across = el("a", { class: "cluster-link", href: "/clusters#event=" + encodeURIComponent(e.event_id) },
      "as all reports tell it →");
    view.replaceChildren(back,
      el("h2", {}, e.event_type, e.sub_event_type ? ` — ${e.sub_event_type}` : ""),
      across,
      dl,
      el("h3", {}, `Claims (${e.claims.length})`), claims,
      el("h3", {}, `Flags (${e.flags.length})`), flags);
    for (const documentId of e.document_ids) {
      let doc;
      try {
        doc = await getJSON("/api/documents/" + encodeURIComponent(documentId));
      } catch (error) {
        if (error.status === 401) showSignIn();
        view.appendChild(el("p", { class: "status error" }, error.message));
        continue;
      }
      const spans = [];
      for (const item of e.evidence) {
        if (item.span.document_id !== documentId) continue;
        spans.push({ start: item.span.start, end: item.span.end, field: item.field, kind: "evidence",
          value: evidenceValue(e, item.field) });
      }
      for (const claim of e.claims) {
        if (claim.span.document_id !== documentId) continue;
        spans.push({ start: claim.span.start, end: claim.span.end, field: "claim", kind: "claim",
          value: claimLabel(claim) });
      }
      const title = doc.source.title || doc.source.path || doc.id;
      view.appendChild(el("h3", {}, "Report: ", iso(title),
        doc.source.published ? ` · ${doc.source.published}` : null));
      view.appendChild(renderReport(doc.text, doc.lang, spans));
    }
    $("event-list").hidden = true;
    view.hidden = false;
    $("detail").scrollTop = 0;
  }

  function closeEvent() {
    state.selected = null;
    history.replaceState(null, "", location.pathname);
    $("event-view").hidden = true;
    $("event-list").hidden = false;
    highlightSelected();
  }

  // ---- upload -------------------------------------------------------------------------------

  // An upload is queued (202) and extracted by the server's worker; the page follows its status
  // URL until it is done (events stored) or failed (the error, as the worker wrote it).
  const POLL_MS = 500;
  const POLL_LIMIT_MS = 10 * 60 * 1000;

  async function followUpload(status) {
    const started = Date.now();
    while (status.status === "queued" || status.status === "working") {
      setStatus(`${status.id} is ${status.status}: extracting events…`);
      if (Date.now() - started > POLL_LIMIT_MS) {
        setStatus(`${status.id} is still ${status.status}; check again later`, true);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      status = await getJSON(status.status_url);
    }
    if (status.status === "failed") {
      setStatus(`${status.id} failed: ${status.error}`, true);
      return;
    }
    await loadEvents(); // first: the list's own "N events" status must not hide the result
    setStatus(`stored ${status.id} with ${status.events} events`);
  }

  async function upload(submit) {
    submit.preventDefault();
    const input = $("upload").elements.file;
    if (!input.files.length) { setStatus("choose a file first", true); return; }
    const body = new FormData();
    body.append("file", input.files[0]);
    try {
      await followUpload(await getJSON("/api/documents", { method: "POST", body }));
    } catch (error) {
      showError(error);
    }
  }

  async function start() {
    await initMap();
    $("filters").addEventListener("submit", (submit) => { submit.preventDefault(); loadEvents(); });
    $("filters").addEventListener("reset", () => setTimeout(loadEvents, 0));
    $("upload").addEventListener("submit", upload);
    window.addEventListener("hashchange", () => {
      const match = /^#event=(.+)$/.exec(location.hash);
      if (match && decodeURIComponent(match[1]) !== state.selected) openEvent(decodeURIComponent(match[1]));
    });
    try {
      state.csrf = (await getJSON("/api/me")).csrf_token;
    } catch (error) {
      if (error.status === 401) {
        showSignIn();
        document.body.dataset.ready = "true";
        return;
      }
    }
    await loadEvents();
    const match = /^#event=(.+)$/.exec(location.hash);
    if (match) await openEvent(decodeURIComponent(match[1]));
    document.body.dataset.ready = "true";
  }

  start();
})();
