// Rate-limit countdowns on the simulator clock: they tick while the clock runs and stand still while it is
// frozen (the page says which). A window that reaches zero has reset; reload to see it gone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("table[data-countdown]");
  if (!table || table.dataset.frozen === "true") return;
  const started = Date.now();
  const cells = [...table.querySelectorAll(".countdown")].map((el) => [el, Number(el.dataset.seconds)]);
  setInterval(() => {
    const gone = Math.floor((Date.now() - started) / 1000);
    for (const [el, seconds] of cells) {
      const left = Math.max(seconds - gone, 0);
      el.textContent = left > 0 ? duration(left) : "reset";
    }
  }, 1000);
});

// As the page writes it (ui/apps.py: duration).
function duration(left) {
  const h = Math.floor(left / 3600), m = Math.floor(left / 60) % 60, s = left % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h ? `${h} h ${two(m)} min ${two(s)} s` : m ? `${m} min ${two(s)} s` : `${s} s`;
}
