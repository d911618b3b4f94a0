// Rasd reconciled events: the list of clusters (one real event as several reports tell it) and
// one cluster with the merged record, who says how many, the flags with both sides' quotes, the
// member reports and why they were merged.
// Everything from a report is put into the page as text through dom.js (loaded first), never as HTML.
"use strict";

(function () {
  const PAGE_SIZE = 50;
  const state = { offset: 0, total: 0, selected: null };

  const { $, el, append, iso, setStatus, fetchJSON } = window.RasdDom;
  // Text from a report: its own direction (Arabic right-to-left), isolated from the labels around.
  const said = (text, tag = "bdi") => iso(text === null || text === undefined ? null : String(text), tag);
  // Logins happen on the review page (as for the map page): this page follows the session cookie.
  const getJSON = (url) => fetchJSON(url, { headers: { accept: "application/json" } });

  function showError(error) {
    if (error.status !== 401) {
      setStatus(error.message, true);
      return;
    }
    $("status").replaceChildren("Sign in to see the reconciled events: ",
      el("a", { href: "/review", id: "sign-in" }, "log in on the review page"), ", then come back here.");
    $("status").classList.add("error");
    document.body.dataset.auth = "needed";
  }

  function figures(low, best, high) {
    if (low == null && best == null && high == null) return "—";
    if (low === high && (best == null || best === low)) return String(low);
    const range = `${low ?? "?"}–${high ?? "?"}`;
    return best == null ? range : `${range} (best ${best})`;
  }

  function dates(item) {
    const start = item.date_start || "undated";
    return item.date_end && item.date_end !== item.date_start ? `${start} – ${item.date_end}` : start;
  }

  // ---- list ---------------------------------------------------------------------------------

  function filterParams() {
    const form = $("filters");
    const params = new URLSearchParams();
    for (const name of ["country", "date_from", "date_to", "grade", "min_reports"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (form.elements.flagged.checked) params.set("flagged", "true");
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String(state.offset));
    return params;
  }

  async function loadList() {
    let page;
    try {
      page = await getJSON(`/api/clusters?${filterParams()}`);
    } catch (error) {
      showError(error);
      return;
    }
    state.total = page.total;
    $("cluster-rows").replaceChildren(...page.items.map(row));
    const last = Math.min(page.offset + page.items.length, page.total);
    $("page-info").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
    $("previous").disabled = page.offset === 0;
    $("next").disabled = last >= page.total;
    setStatus(`${page.total} reconciled events`);
  }

  function row(item) {
    const flags = el("td", { class: "n" });
    if (item.flag_count) flags.append(el("span", { class: "flag-count", title: "flags" }, `⚑ ${item.flag_count}`));
    else flags.append("0");
    const tr = el("tr", { tabindex: "0", dataset: { id: item.id } },
      el("td", {}, dates(item)),
      el("td", {}, item.event_type, item.sub_event_type ? el("small", {}, " · ", said(item.sub_event_type)) : null),
      el("td", {}, said(item.location), item.country ? ` (${item.country})` : null),
      el("td", { class: "n" }, [item.fatalities_low, item.fatalities_best, item.fatalities_high]
        .map((n) => (n == null ? "?" : String(n))).join(" · ")),
      el("td", { class: "n" }, String(item.reports)),
      el("td", { class: "n" }, String(item.independent_sources)),
      el("td", {}, el("span", { class: `grade ${item.grade}` }, item.grade)),
      flags);
    tr.addEventListener("click", () => openCluster(item.id));
    tr.addEventListener("keydown", (key) => { if (key.key === "Enter") openCluster(item.id); });
    return tr;
  }

  // ---- one cluster --------------------------------------------------------------------------

  async function openCluster(id) {
    state.selected = id;
    if (location.hash !== "#cluster=" + encodeURIComponent(id)) {
      history.replaceState(null, "", "#cluster=" + encodeURIComponent(id));
    }
    let cluster;
    try {
      cluster = await getJSON("/api/clusters/" + encodeURIComponent(id));
    } catch (error) {
      showError(error);
      return;
    }
    const e = cluster.event;
    $("cluster-title").replaceChildren(e.event_type, ...(e.sub_event_type ? [" — ", said(e.sub_event_type)] : []));
    $("merged").replaceChildren(...merged(cluster));
    $("figures").replaceChildren(...figureRules(cluster.figures));
    $("claims").replaceChildren(...claimsBySource(cluster));
    $("flags-title").textContent = `Flags (${cluster.flags.length})`;
    $("flags").replaceChildren(...(cluster.flags.length ? cluster.flags.map(flag) : [el("li", {}, "none")]));
    $("members-title").textContent = `Reports (${cluster.members.length})`;
    const byDate = [...cluster.members].sort((a, b) => String(a.published).localeCompare(String(b.published)));
    $("members").replaceChildren(...byDate.map(member));
    const names = reportNames(cluster.members);
    $("links").replaceChildren(...(cluster.links.length ? cluster.links.map((l) => link(l, names))
      : [el("li", {}, "one report only: nothing was merged")]));
    $("list-pane").hidden = true;
    $("cluster").hidden = false;
    setStatus(`reconciled event ${cluster.id}`);
    window.scrollTo(0, 0);
  }

  function closeCluster() {
    state.selected = null;
    history.replaceState(null, "", location.pathname);
    $("cluster").hidden = true;
    $("list-pane").hidden = false;
    setStatus(`${state.total} reconciled events`);
  }

  function merged(cluster) {
    const e = cluster.event;
    const loc = e.location || {};
    const actors = [e.actor1, e.actor2, ...(e.assoc_actors || [])].filter(Boolean);
    const entries = [
      ["Date", [dates(e), e.date_precision ? el("small", {}, ` (${e.date_precision})`) : null]],
      ["Place", [said(loc.name), loc.admin1 ? [", ", said(loc.admin1)] : null,
        loc.country ? ` (${loc.country})` : null, loc.precision ? ` · ${loc.precision}` : null]],
      ["Actors", actors.length ? actors.flatMap((a, i) => [i ? " · " : null, said(a.name)]) : "—"],
      ["Killed", figures(e.fatalities.low, e.fatalities.best, e.fatalities.high)],
      ["Injured", figures(e.injured.low, e.injured.best, e.injured.high)],
      ["Detained", figures(e.detained.low, e.detained.best, e.detained.high)],
      ["Grade", [el("span", { class: `grade ${cluster.grade}` }, cluster.grade), " — ", cluster.grade_reason]],
      ["Sources", `${cluster.independent_sources} independent of ${cluster.members.length} reports`],
    ];
    if (e.summary) entries.push(["Summary", said(e.summary, "span")]);
    return entries.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]);
  }

  function figureRules(rules) {
    const head = el("tr", {}, ...["", "low", "best", "high", "best from", "claims"].map((h) => el("th", {}, h)));
    return [head, ...rules.map((r) => el("tr", {},
      el("th", {}, r.quantity),
      ...[r.low, r.best, r.high].map((n) => el("td", { class: "n" }, n == null ? "—" : String(n))),
      el("td", {}, said(r.best_from, "span")),
      el("td", { class: "n" }, String(r.claims_used))))];
  }

  // One row per report (oldest first), one column per quantity: each report's figures side by side.
  function claimsBySource(cluster) {
    const quantities = [...new Set(cluster.claims.map((c) => c.claim.quantity))];
    const reports = new Map();
    for (const m of cluster.members) {
      reports.set(m.document_id, { publisher: m.publisher, published: m.published, claims: [] });
    }
    for (const c of cluster.claims) {
      if (!reports.has(c.document_id)) {
        reports.set(c.document_id, { publisher: c.publisher, published: c.published, claims: [] });
      }
      reports.get(c.document_id).claims.push(c.claim);
    }
    const order = [...reports.entries()].sort(([, a], [, b]) =>
      String(a.published || "9999").localeCompare(String(b.published || "9999")) ||
      String(a.publisher || "").localeCompare(String(b.publisher || "")));
    const head = el("tr", {}, el("th", {}, "published"), el("th", {}, "source"),
      ...quantities.map((q) => el("th", {}, q)));
    const rows = order.map(([documentId, r]) => el("tr", { dataset: { documentId } },
      el("td", {}, r.published || "undated"),
      el("td", { class: "publisher" }, said(r.publisher || "unknown publisher")),
      ...quantities.map((q) => el("td", {}, el("ul", {}, ...r.claims
        .filter((c) => c.quantity === q).map(claim))))));
    return [head, ...rows];
  }

  function claim(c) {
    return el("li", { class: "claim" },
      el("strong", { class: "figure" }, figures(c.low, c.best, c.high)),
      c.qualifier && c.qualifier !== "exact" ? el("small", {}, ` ${c.qualifier.replace("_", " ")}`) : null,
      c.victims ? [" ", said(c.victims)] : null,
      c.attributed_to ? [" · according to ", said(c.attributed_to)] : null,
      " ", said(c.span.text, "q"));
  }

  function flag(f) {
    const sides = el("div", { class: "sides" }, ...f.sides.map((side) => el("section", { class: "side" },
      el("p", { class: "who" }, said(side.publisher || "unknown publisher"),
        side.published ? ` · ${side.published}` : null),
      el("p", { class: "says" }, said(side.says, "span")),
      ...side.evidence.map((span) => el("blockquote", { dir: "auto", lang: "ar" }, span.text)))));
    return el("li", { class: `flag ${f.kind}` },
      el("p", {}, el("strong", {}, f.kind.replace(/_/g, " ")), ": ", said(f.message, "span"),
        f.spread ? el("small", {}, ` (spread ${f.spread[0]}–${f.spread[1]})`) : null),
      sides);
  }

  function reportNames(members) {
    const names = new Map();
    for (const m of members) {
      names.set(m.document_id, [m.publisher || m.title || m.path || m.document_id, m.published || "undated"]);
    }
    return names;
  }

  function member(m) {
    const text = el("div", { class: "report-text", dir: "auto" });
    const details = el("details", {}, el("summary", {}, "report text"), text);
    details.addEventListener("toggle", async () => {
      if (!details.open || text.childNodes.length) return;
      try {
        const doc = await getJSON("/api/documents/" + encodeURIComponent(m.document_id));
        text.lang = doc.lang;
        append(text, doc.text);  // bidi controls shown as marks, as on the map page
      } catch (error) {
        text.textContent = error.message;
      }
    });
    return el("li", { dataset: { documentId: m.document_id } },
      el("p", {},
        el("strong", {}, said(m.publisher || "unknown publisher")), ` · ${m.published || "undated"} · `,
        said(m.title || m.path || m.document_id),
        el("small", {}, ` · story ${m.source_group + 1} · `),
        el("a", { href: "/#event=" + encodeURIComponent(m.event_id) }, "its event on the map page")),
      details);
  }

  function link(l, names) {
    const name = (id) => {
      const [who, when] = names.get(id) || [id, ""];
      return el("span", {}, said(who), when ? ` (${when})` : null);
    };
    const scores = Object.entries(l.fields).map(([field, score]) => `${field} ${score.toFixed(2)}`).join(", ");
    return el("li", {},
      name(l.document_ids[0]), " + ", name(l.document_ids[1]),
      `: score ${l.score.toFixed(2)} (${scores})`,
      l.notes.length ? el("small", {}, " — ", l.notes.join("; ")) : null);
  }

  // ---- start --------------------------------------------------------------------------------

  // `#cluster=<id>` opens a cluster; `#event=<id>` the cluster holding one report's event, so
  // pages that show a single report's event can link here.
  async function openFromHash() {
    const cluster = /^#cluster=(.+)$/.exec(location.hash);
    if (cluster) {
      if (decodeURIComponent(cluster[1]) !== state.selected) await openCluster(decodeURIComponent(cluster[1]));
      return;
    }
    const event = /^#event=(.+)$/.exec(location.hash);
    if (!event) return;
    let page;
    try {
      const query = new URLSearchParams({ limit: "1", event_id: decodeURIComponent(event[1]) });
      page = await getJSON(`/api/clusters?${query}`);
    } catch (error) {
      showError(error);
      return;
    }
    if (page.items.length) await openCluster(page.items[0].id);
    else setStatus("that event is not reconciled yet", true);
  }

  async function start() {
    $("filters").addEventListener("submit", (submit) => {
      submit.preventDefault();
      state.offset = 0;
      loadList();
    });
    $("filters").addEventListener("reset", () => setTimeout(() => { state.offset = 0; loadList(); }, 0));
    $("previous").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); loadList(); });
    $("next").addEventListener("click", () => { state.offset += PAGE_SIZE; loadList(); });
    $("back").addEventListener("click", closeCluster);
    window.addEventListener("hashchange", openFromHash);
    await loadList();
    if (document.body.dataset.auth !== "needed") await openFromHash();
    document.body.dataset.ready = "true";
  }

  start();
})();
