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

  // On a phone: the camera reads the label where the browser has a BarcodeDetector (Chrome on
  // Android does); the code read is scanned as if typed. Elsewhere the button stays hidden.
  const camera = document.getElementById("camera");
  const view = document.getElementById("camera-view");
  if (camera && view && "BarcodeDetector" in window && navigator.mediaDevices) {
    camera.hidden = false;
    camera.addEventListener("click", async () => {
      const detector = new window.BarcodeDetector({ formats: ["code_128", "qr_code", "ean_13", "data_matrix"] });
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      view.srcObject = stream;
      view.hidden = false;
      await view.play();
      const stop = () => { stream.getTracks().forEach((track) => track.stop()); view.hidden = true; };
      const look = async () => {
        const codes = await detector.detect(view).catch(() => []);
        if (codes.length) {
          stop();
          const f = field();
          f.value = codes[0].rawValue;
          f.form.requestSubmit();
        } else if (!view.hidden) {
          requestAnimationFrame(look);
        }
      };
      look();
    });
  }
})();
