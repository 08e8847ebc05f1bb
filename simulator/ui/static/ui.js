// xmock dashboard: small plain JavaScript, no build step. Pages work without it; it adds the live journal
// (server-sent events) and confirmations.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A form with data-confirm asks before it posts (reset, removing rules).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  const live = document.querySelector("[data-live-journal]");
  if (live) followJournal(live);
});

// New journal entries arrive as HTML rows from the server's event stream and go on top of the table.
function followJournal(table) {
  const body = table.querySelector("tbody");
  const status = document.getElementById("live-status");
  const source = new EventSource(table.dataset.liveJournal);
  source.addEventListener("entry", (event) => {
    const holder = document.createElement("tbody");
    holder.innerHTML = event.data;
    const row = holder.firstElementChild;
    if (!row) return;
    row.classList.add("fresh");
    body.prepend(row);
    const empty = document.getElementById("journal-empty");
    if (empty) empty.remove();
    while (body.rows.length > Number(table.dataset.pageSize || 50)) body.lastElementChild.remove();
  });
  source.addEventListener("open", () => { if (status) status.textContent = "Live: new requests appear on top."; });
  source.addEventListener("error", () => { if (status) status.textContent = "Live updates paused; reconnecting."; });
}
