// The review page's behaviour: decisions sent to the server, marks updated in place, keyboard navigation.
// Served as a file (the page's Content-Security-Policy allows no inline script); it writes only text
// (textContent), never HTML, so nothing a student wrote can become markup here either.
"use strict";

const token = () => document.body.dataset.token;
const cards = () => Array.from(document.querySelectorAll("article.answer"));
let current = 0;

function fmt(x) {
  return x === null || x === undefined ? "" : String(Math.round(x * 1000) / 1000);
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {"Content-Type": "application/json", "X-Chainrule-Token": token()},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) {
    throw new Error(data.error || response.statusText);
  }
  return data;
}

function say(card, message) {
  let line = card.querySelector(".message");
  if (!line) {
    line = document.createElement("p");
    line.className = "message";
    card.appendChild(line);
  }
  line.textContent = message;
}

function apply(state) {
  for (const [key, answer] of Object.entries(state.answers)) {
    const card = document.querySelector(`article.answer[data-key="${CSS.escape(key)}"]`);
    if (!card) continue;
    card.classList.remove("reviewed", "pending", "automatic");
    card.classList.add(answer.source);
    let text = answer.source === "reviewed" ? `reviewed: ${fmt(answer.score)}`
      : answer.source === "pending" ? "awaiting a person" : `automatic: ${fmt(answer.score)}`;
    if (answer.stale) text += " (the grader has changed its verdict since)";
    card.querySelector('[data-field="status"]').textContent = text;
    if (answer.score !== null) card.querySelector("input.marks").value = fmt(answer.score);
    card.querySelector("textarea.comment").value = answer.comment;
  }
  for (const [key, s] of Object.entries(state.students)) {
    for (const card of document.querySelectorAll(`article.answer[data-key="${CSS.escape(key)}"]`)) {
      const rest = s.pending ? `, ${s.pending} pending` : ` = ${fmt(s.total)}/${fmt(s.max)}`;
      card.querySelector('[data-field="total"]').textContent =
        `student: ${fmt(s.automatic)} automatic + ${fmt(s.reviewed)} reviewed${rest}`;
    }
  }
  const progress = document.getElementById("progress");
  if (progress) progress.textContent = `${state.settled}/${state.count} settled`;
}

function question() {
  return document.getElementById("progress").dataset.question;
}

async function decide(card, action) {
  const body = {key: card.dataset.key, question: question(), action};
  if (action === "override") body.score = card.querySelector("input.marks").value;
  body.comment = card.querySelector("textarea.comment").value;
  try {
    apply(await call("POST", "/api/decide", body));
    say(card, action === "comment" ? "comment saved" : "saved");
  } catch (error) {
    say(card, `not saved: ${error.message}`);
  }
}

function focusCard(index) {
  const all = cards();
  if (!all.length) return;
  current = Math.max(0, Math.min(index, all.length - 1));
  all.forEach((card, i) => card.classList.toggle("current", i === current));
  all[current].focus({preventScroll: true});
  all[current].scrollIntoView({block: "nearest"});
}

document.addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("progress")) return;
  cards().forEach((card, index) => {
    card.querySelector("button.accept").addEventListener("click", () => decide(card, "accept"));
    card.querySelector("button.override").addEventListener("click", () => decide(card, "override"));
    card.querySelector("button.save-comment").addEventListener("click", () => decide(card, "comment"));
    card.addEventListener("focusin", () => { current = index; });
  });
  for (const button of document.querySelectorAll("button.accept-group")) {
    button.addEventListener("click", async () => {
      try {
        apply(await call("POST", "/api/accept-group", {question: question(), keys: button.dataset.keys.split(" ")}));
        button.textContent = "accepted";
        button.disabled = true;
      } catch (error) {
        button.textContent = `not saved: ${error.message}`;
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    const card = cards()[current];
    const target = event.target;
    if (target.matches("input.marks") && event.key === "Enter") {
      event.preventDefault();
      decide(target.closest("article"), "override");
      return;
    }
    if (target.matches("textarea.comment")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey || !event.shiftKey)) {
        event.preventDefault();
        decide(target.closest("article"), "comment");
      } else if (event.key === "Escape") {
        target.blur();
      }
      return;
    }
    if (target.matches("input, textarea") || event.ctrlKey || event.metaKey || event.altKey || !card) return;
    const actions = {
      j: () => focusCard(current + 1),
      k: () => focusCard(current - 1),
      a: () => decide(card, "accept").then(() => focusCard(current + 1)),
      o: () => card.querySelector("input.marks").select(),
      c: () => card.querySelector("textarea.comment").focus(),
    };
    if (actions[event.key]) {
      event.preventDefault();
      actions[event.key]();
    }
  });
  focusCard(0);
  // Live: other reviewers' decisions (and a grading run still writing) show up without a reload.
  setInterval(async () => {
    try {
      apply(await call("GET", `/api/state/${encodeURIComponent(question())}`));
    } catch (error) { /* the next tick tries again */ }
  }, 5000);
});
