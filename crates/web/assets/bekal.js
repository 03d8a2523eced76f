// Bekal's own script. Every page works without it; it only adds conveniences:
// - buttons marked data-print print the page;
// - on the attendance sheet, "all present" sets every line, and a submission that cannot reach
//   the server (no connection) is kept in this browser (localStorage) and sent when the
//   connection returns, with the same idempotency key, so it is never recorded twice.
"use strict";
(function () {
  const QUEUE = "bekal.attendance.queue";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) {
    try { localStorage.setItem(QUEUE, JSON.stringify(queue)); } catch (e) { /* full or blocked */ }
  }

  const messages = document.getElementById("attendance-messages");
  const banner = document.getElementById("offline-banner");
  function say(key) {
    if (!banner || !messages) return;
    banner.textContent = messages.dataset[key] || "";
    banner.hidden = false;
  }

  // Sends one queued submission. Resolves to "sent", "conflict", "rejected" or "offline".
  function send(item) {
    return fetch("/api/sessions/" + item.submission.session_id + "/attendance", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": item.csrf },
      body: JSON.stringify(item.submission)
    }).then(function (response) {
      if (response.ok) return "sent";
      if (response.status === 409) return "conflict";
      if (response.status >= 500 && response.status !== 503) return "offline";
      if (response.status === 503) return "offline";
      return "rejected";
    }, function () { return "offline"; });
  }

  let flushing = false;
  function flush() {
    if (flushing) return Promise.resolve();
    const queue = loadQueue();
    if (queue.length === 0) return Promise.resolve();
    flushing = true;
    const item = queue[0];
    return send(item).then(function (outcome) {
      flushing = false;
      if (outcome === "offline") { say("queued"); return; }
      saveQueue(loadQueue().filter(function (q) {
        return q.submission.idempotency_key !== item.submission.idempotency_key;
      }));
      if (outcome === "sent") say("sent");
      if (outcome === "conflict") say("conflict");
      if (outcome === "rejected") say("failed");
      return flush();
    });
  }

  const form = document.getElementById("attendance-form");
  if (form) {
    const allPresent = form.querySelector("[data-all-present]");
    if (allPresent) {
      allPresent.hidden = false;
      allPresent.addEventListener("click", function () {
        form.querySelectorAll("select[data-status]").forEach(function (select) { select.value = "present"; });
      });
    }
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.localStorage) return; // plain form post
      event.preventDefault();
      const data = new FormData(form);
      const entries = [];
      form.querySelectorAll("select[data-status]").forEach(function (select) {
        const id = select.name.replace("status_", "");
        const kind = data.get("excuse_kind_" + id) || null;
        const text = (data.get("excuse_text_" + id) || "").trim();
        entries.push({
          enrolment_id: Number(id),
          status: select.value,
          excuse_kind: select.value === "excused" ? kind : null,
          excuse_text: select.value === "excused" && text ? text : null
        });
      });
      const item = {
        csrf: data.get("csrf_token"),
        classId: form.dataset.class,
        submission: {
          session_id: Number(form.dataset.session),
          idempotency_key: data.get("idempotency_key"),
          base_version: Number(data.get("base_version")),
          all_present: false,
          entries: entries
        }
      };
      const queue = loadQueue().filter(function (q) {
        return q.submission.idempotency_key !== item.submission.idempotency_key;
      });
      queue.push(item);
      saveQueue(queue);
      send(item).then(function (outcome) {
        if (outcome === "offline") { say("queued"); return; }
        saveQueue(loadQueue().filter(function (q) {
          return q.submission.idempotency_key !== item.submission.idempotency_key;
        }));
        if (outcome === "sent") {
          window.location.href = "/classes/" + item.classId + "?notice=attendance-saved";
        } else if (outcome === "conflict") {
          // Let the server show the conflict side by side: post the form the plain way.
          form.submit();
        } else {
          form.submit();
        }
      });
    });
  }

  window.addEventListener("online", flush);
  if (loadQueue().length > 0) {
    flush();
    setInterval(function () { if (navigator.onLine !== false) flush(); }, 30000);
  }
})();
