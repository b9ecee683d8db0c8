/* Registers the portal's service worker (offline catalog) and wires the print button of the office code slip. */
(function () {
  var body = document.body;
  var sw = body && body.getAttribute("data-sw");
  if (sw && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(sw, {scope: body.getAttribute("data-scope")}).catch(function () {});
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
})();
