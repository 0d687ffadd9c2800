// The counter tablet's camera: where the browser has BarcodeDetector, read the resident's QR
// code and open it; elsewhere say so, and the typed field (a USB scanner types into it) stays.
(function () {
  "use strict";
  const box = document.getElementById("camera");
  if (!box) return;
  const status = document.getElementById("camera-status");
  const video = document.getElementById("camera-video");
  box.hidden = false;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    status.textContent = box.dataset.unsupported;
    document.getElementById("camera-start").hidden = true;
    return;
  }
  document.getElementById("camera-start").addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      status.textContent = box.dataset.denied;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const look = async () => {
      try {
        const codes = await detector.detect(video);
        const hit = codes.find((c) => /^\s*JZ/i.test(c.rawValue));
        if (hit) {
          stream.getTracks().forEach((t) => t.stop());
          window.location.assign(box.dataset.open + "?code=" + encodeURIComponent(hit.rawValue));
          return;
        }
      } catch (e) { /* a frame not ready yet */ }
      window.setTimeout(look, 250);
    };
    look();
  });
})();
