// Scan station: the focus always comes back to the scan field, and Alt+1…9 takes the card's steps.
(function () {
  const field = () => document.getElementById("code");
  document.body.addEventListener("htmx:afterSettle", () => { const f = field(); if (f) f.focus(); });
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || !/^[1-9]$/.test(event.key)) return;
    const button = document.querySelector(`#result button[data-step="${event.key}"]`);
    if (!button) return;
    event.preventDefault();
    // A card swapped in an instant ago may not be wired to htmx yet: wire it now, or the click
    // would submit the form as a plain page load.
    if (window.htmx) window.htmx.process(button.form || button);
    button.click();
  });
})();
