// Rasd review page: a queue of machine-suggested events, the report text with the evidence
// highlighted, editable fields, and keyboard-driven accept / correct / reject.
// Everything from a report is put into the page with textContent, never as HTML.
"use strict";

const state = { me: null, csrf: null, queue: [], index: -1, wanted: -1, current: null, doc: null };

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
};

function say(message, error = false) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", error);
}

async function api(path, options = {}) {
  const headers = { accept: "application/json", ...(options.headers || {}) };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.method && options.method !== "GET" && state.csrf) headers["x-csrf-token"] = state.csrf;
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  let payload = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) payload = await response.json();
  if (!response.ok) {
    const detail = payload && payload.detail ? payload.detail : response.statusText;
    const error = new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    error.status = response.status;
    throw error;
  }
  return payload;
}

// ---- login ------------------------------------------------------------------------------

async function start() {
  try {
    state.me = await api("/api/me");
    state.csrf = state.me.csrf_token;
    showReview();
  } catch (error) {
    if (error.status === 401) showLogin();
    else say(error.message, true);
  }
}

function showLogin() {
  $("login").hidden = false;
  $("review").hidden = true;
  $("logout").hidden = true;
  $("login").elements.username.focus();
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    state.me = await api("/api/login", {
      method: "POST",
      body: { username: form.elements.username.value, password: form.elements.password.value },
    });
    state.csrf = state.me.csrf_token;
    form.elements.password.value = "";
    showReview();
  } catch (error) {
    say(error.message, true);
  }
});

$("logout").addEventListener("click", async () => {
  await api("/api/logout", { method: "POST" }).catch(() => null);
  state.me = null;
  state.csrf = null;
  showLogin();
});

function canEdit() {
  return state.me && (state.me.role === "coder" || state.me.role === "admin");
}

function showReview() {
  $("login").hidden = true;
  $("review").hidden = false;
  $("logout").hidden = !state.me.auth;
  $("who").textContent = `${state.me.username} (${state.me.role})`;
  // Viewers see no editing controls at all (the API refuses their writes anyway).
  if (!canEdit()) {
    $("edit").querySelector(".actions").remove();
    $("split-merge").remove();
    for (const input of $("edit").elements) input.disabled = true;
  }
  loadQueue();
}

// ---- queue ------------------------------------------------------------------------------

async function loadQueue(keepId = null) {
  const status = $("queue-status").value;
  const query = new URLSearchParams({ limit: "500" });
  if (status) query.set("status", status);
  try {
    state.queue = await api(`/api/review/queue?${query}`);
  } catch (error) {
    say(error.message, true);
    return;
  }
  const list = $("queue-list");
  list.replaceChildren();
  state.queue.forEach((item, index) => {
    const label = [item.date_start || "undated", item.location || "", item.event_type]
      .filter(Boolean)
      .join(" · ");
    const li = el(
      "li",
      { dataset: { index: String(index), id: item.id } },
      el("span", { class: `badge ${item.status}`, textContent: item.status }),
      el("span", { textContent: label }),
    );
    li.addEventListener("click", () => open(index));
    list.append(li);
  });
  say(`${state.queue.length} events`);
  const wanted = keepId ? state.queue.findIndex((item) => item.id === keepId) : 0;
  if (state.queue.length) await open(Math.max(wanted, 0));
}

$("queue-status").addEventListener("change", () => loadQueue());

// Keys act on state.current, so it is empty while the next event loads (a quick second "a"
// would otherwise accept the previous event again), and the list marks an event current only
// once it is shown. A slower earlier load never overwrites a later one.
let opening = 0;

async function open(index) {
  if (index < 0 || index >= state.queue.length) return;
  const ticket = ++opening;
  state.wanted = index;
  state.current = null;
  const id = state.queue[index].id;
  let current;
  let doc = state.doc;
  try {
    current = await api(`/api/events/${encodeURIComponent(id)}`);
    const documentId = current.event.document_ids[0];
    if (!doc || doc.id !== documentId) {
      doc = await api(`/api/documents/${encodeURIComponent(documentId)}`);
    }
  } catch (error) {
    if (ticket === opening) say(error.message, true);
    return;
  }
  if (ticket !== opening) return;
  state.index = index;
  state.current = current;
  state.doc = doc;
  for (const li of $("queue-list").children) {
    li.classList.toggle("current", Number(li.dataset.index) === index);
  }
  $("queue-list").children[index].scrollIntoView({ block: "nearest" });
  render();
}

// ---- the event --------------------------------------------------------------------------

function render() {
  const { event, status, version } = state.current;
  $("event-id").textContent = event.event_id;
  const badge = $("event-status");
  badge.textContent = status;
  badge.className = `badge ${status}`;
  $("event-version").textContent = `v${version}`;
  $("doc-title").textContent = state.doc.source.title || state.doc.source.path || state.doc.id;
  renderText(event);
  fillForm(event);
  renderClaims(event);
  $("history").replaceChildren();
  if ($("history-box").open) loadHistory();
}

function evidenceSpans(event) {
  const spans = [];
  const docId = state.doc.id;
  for (const item of event.evidence || []) {
    if (item.span.document_id === docId) spans.push({ ...item.span, label: item.field });
  }
  for (const claim of event.claims || []) {
    if (claim.span.document_id === docId) {
      spans.push({ ...claim.span, label: `${claim.quantity} ${claim.best ?? claim.low ?? "?"}` });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  let end = -1;
  for (const span of spans) {
    if (span.start >= end) {
      kept.push(span);
      end = span.end;
    }
  }
  return kept;
}

function renderText(event) {
  const text = state.doc.text;
  const box = $("doc-text");
  box.replaceChildren();
  let position = 0;
  for (const span of evidenceSpans(event)) {
    box.append(document.createTextNode(text.slice(position, span.start)));
    const mark = el("mark", { title: span.label }, text.slice(span.start, span.end));
    mark.append(el("span", { class: "value", textContent: span.label }));
    box.append(mark);
    position = span.end;
  }
  box.append(document.createTextNode(text.slice(position)));
  const first = box.querySelector("mark");
  if (first) first.scrollIntoView({ block: "center" });
}

const FIELDS = [
  "event_type", "sub_event_type", "date_start", "date_end", "date_precision",
  "location.name", "location.country", "location.admin1", "location.latitude",
  "location.longitude", "location.precision", "actor1.name", "actor2.name",
  "fatalities.low", "fatalities.best", "fatalities.high", "injured.low", "injured.best",
  "injured.high", "detained.low", "detained.best", "detained.high",
];

function read(event, path) {
  return path.split(".").reduce((value, key) => (value == null ? null : value[key]), event);
}

function fillForm(event) {
  const form = $("edit");
  for (const name of FIELDS) {
    const value = read(event, name);
    form.elements[name].value = value == null ? "" : String(value);
  }
  form.elements.reason.value = "";
}

function formValue(name) {
  const input = $("edit").elements[name];
  const raw = input.value.trim();
  if (raw === "") return null;
  if (input.type === "number") return Number(raw);
  return raw;
}

// The changes, as whole top-level fields (the API validates each against the record's model).
function changes() {
  const event = state.current.event;
  const result = {};
  for (const key of ["event_type", "sub_event_type", "date_start", "date_end", "date_precision"]) {
    const value = formValue(key);
    if (value !== (event[key] ?? null)) result[key] = value;
  }
  for (const key of ["fatalities", "injured", "detained"]) {
    const figures = {};
    let changed = false;
    for (const part of ["low", "best", "high"]) {
      figures[part] = formValue(`${key}.${part}`);
      if (figures[part] !== (event[key][part] ?? null)) changed = true;
    }
    if (changed) result[key] = figures;
  }
  const location = event.location;
  const place = {
    name: formValue("location.name"),
    country: formValue("location.country"),
    admin1: formValue("location.admin1"),
    latitude: formValue("location.latitude"),
    longitude: formValue("location.longitude"),
    precision: formValue("location.precision"),
  };
  const placeChanged = Object.entries(place).some(
    ([key, value]) => value !== ((location && location[key]) ?? null),
  );
  if (placeChanged) result.location = place.name ? { ...(location || {}), ...place } : null;
  for (const key of ["actor1", "actor2"]) {
    const name = formValue(`${key}.name`);
    if (name !== ((event[key] && event[key].name) ?? null)) {
      result[key] = name ? { ...(event[key] || {}), name } : null;
    }
  }
  return result;
}

function renderClaims(event) {
  const list = $("claims");
  list.replaceChildren();
  (event.claims || []).forEach((claim, index) => {
    const figure = [claim.low, claim.best, claim.high].map((v) => (v == null ? "–" : v)).join(" / ");
    const who = claim.attributed_to ? ` · according to ${claim.attributed_to}` : "";
    const item = el("li");
    if (canEdit()) item.append(el("input", { type: "checkbox", value: String(index), title: "tick to split" }));
    item.append(
      el("span", { textContent: ` ${claim.quantity}: ${figure} (${claim.qualifier})${who} ` }),
      el("bdi", { lang: "ar", dir: "rtl", textContent: claim.span.text }),
    );
    list.append(item);
  });
}

async function loadHistory() {
  if (!state.current) return;
  const id = state.current.event.event_id;
  const revisions = await api(`/api/events/${encodeURIComponent(id)}/history`);
  const list = $("history");
  list.replaceChildren();
  for (const r of revisions) {
    const line = `${r.at.slice(0, 19).replace("T", " ")} · ${r.username} · ${r.field}: `;
    list.append(
      el(
        "li",
        {},
        line,
        el("code", { textContent: JSON.stringify(r.old) }),
        " → ",
        el("code", { textContent: JSON.stringify(r.new) }),
        r.reason ? ` (${r.reason})` : "",
      ),
    );
  }
  if (!revisions.length) list.append(el("li", { textContent: "no changes yet: the machine's suggestion" }));
}

$("history-box").addEventListener("toggle", () => {
  if ($("history-box").open && state.current) loadHistory();
});

// ---- writes -----------------------------------------------------------------------------

async function write(path, method, payload, done) {
  try {
    const result = await api(path, { method, body: payload });
    say(done);
    return result;
  } catch (error) {
    if (error.status === 409) say(`Conflict: ${error.message}`, true);
    else say(error.message, true);
    return null;
  }
}

async function save() {
  if (!canEdit() || !state.current) return;
  const diff = changes();
  if (!Object.keys(diff).length) {
    say("nothing changed");
    return;
  }
  const id = state.current.event.event_id;
  const result = await write(
    `/api/events/${encodeURIComponent(id)}`,
    "PATCH",
    { version: state.current.version, changes: diff, reason: formValue("reason") },
    `saved ${Object.keys(diff).join(", ")}`,
  );
  if (result) {
    state.current = result;
    render();
    refreshQueueItem();
  }
}

async function act(action) {
  if (!canEdit() || !state.current) return;
  const id = state.current.event.event_id;
  const reason = action === "reject" ? $("reject-reason").value : formValue("reason");
  const result = await write(
    `/api/events/${encodeURIComponent(id)}/${action}`,
    "POST",
    { version: state.current.version, reason },
    { accept: "accepted", publish: "published", reject: "rejected", reopen: "reopened" }[action],
  );
  if (result) {
    state.current = result;
    render();
    refreshQueueItem();
    if (action === "accept" || action === "reject") open(state.index + 1);
  }
}

function refreshQueueItem() {
  const li = $("queue-list").children[state.index];
  if (!li) return;
  state.queue[state.index].status = state.current.status;
  state.queue[state.index].version = state.current.version;
  const badge = li.querySelector(".badge");
  badge.textContent = state.current.status;
  badge.className = `badge ${state.current.status}`;
}

$("edit").addEventListener("submit", (event) => {
  event.preventDefault();
  save();
});
for (const action of ["accept", "publish", "reject", "reopen"]) {
  const button = $(action);
  if (button) button.addEventListener("click", () => act(action));
}

const splitButton = $("split");
if (splitButton) {
  splitButton.addEventListener("click", async () => {
    const ticked = [...$("claims").querySelectorAll("input:checked")].map((i) => Number(i.value));
    if (!ticked.length) return say("tick the claims that belong to another event", true);
    if (!state.current) return;
    const id = state.current.event.event_id;
    const result = await write(
      `/api/events/${encodeURIComponent(id)}/split`,
      "POST",
      { version: state.current.version, claims: ticked },
      "split into a new event",
    );
    if (result) loadQueue(id);
  });
  $("merge").addEventListener("click", async () => {
    const other = $("merge-id").value.trim();
    const item = state.queue.find((q) => q.id === other);
    if (!item || !state.current) return say("no such event in the queue", true);
    const id = state.current.event.event_id;
    const result = await write(
      "/api/review/merge",
      "POST",
      { keep: id, keep_version: state.current.version, drop: other, drop_version: item.version },
      "merged",
    );
    if (result) loadQueue(id);
  });
}

// ---- gazetteer place search ----------------------------------------------------------------

let placeTimer = null;
let placeQuery = "";

function choosePlace(place) {
  const form = $("edit");
  form.elements["location.name"].value = place.name;
  form.elements["location.country"].value = place.country;
  form.elements["location.admin1"].value = place.admin1;
  form.elements["location.latitude"].value = String(place.latitude);
  form.elements["location.longitude"].value = String(place.longitude);
  form.elements["location.precision"].value = place.precision;
  $("place-results").replaceChildren();
  say(`place set to ${place.name} (${place.feature}, ${place.country}); save to keep it`);
}

async function searchPlaces(query) {
  placeQuery = query;
  let found = [];
  try {
    found = await api(`/api/places?q=${encodeURIComponent(query)}&limit=8`);
  } catch (error) {
    return say(`place search: ${error.message}`, true);
  }
  if (query !== placeQuery) return; // a later keystroke already asked again
  $("place-results").replaceChildren(
    ...found.map((place) => {
      const where = [place.admin1, place.country].filter(Boolean).join(", ");
      const label = `${place.name} · ${place.name_ar} · ${place.feature} · ${where}`;
      const button = el("button", { type: "button", textContent: label });
      button.addEventListener("click", () => choosePlace(place));
      return el("li", {}, button);
    }),
  );
}

const placeInput = $("edit") && $("edit").elements["location.name"];
if (placeInput) {
  placeInput.addEventListener("input", () => {
    clearTimeout(placeTimer);
    const query = placeInput.value.trim();
    if (query.length < 2) return $("place-results").replaceChildren();
    placeTimer = setTimeout(() => searchPlaces(query), 200);
  });
}

// ---- keyboard ---------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if ($("review").hidden) return;
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    save();
    return;
  }
  if (event.key === "Escape" && typing) {
    document.activeElement.blur();
    return;
  }
  if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
  const keys = {
    j: () => open(state.wanted + 1),
    ArrowDown: () => open(state.wanted + 1),
    k: () => open(state.wanted - 1),
    ArrowUp: () => open(state.wanted - 1),
    a: () => act("accept"),
    p: () => act("publish"),
    r: () => act("reject"),
    e: () => $("edit").elements.event_type.focus(),
    h: () => {
      $("history-box").open = !$("history-box").open;
    },
  };
  if (keys[event.key]) {
    event.preventDefault();
    keys[event.key]();
  }
});

start();
