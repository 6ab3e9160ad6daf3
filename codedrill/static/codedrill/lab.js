// Lab run page: while a run waits or runs, fetch its live part every second and swap it in,
// so the queue position and progress move without reloading. Without JavaScript the page
// refreshes itself instead (a <noscript> meta refresh).
(function () {
  "use strict";
  function poll() {
    var part = document.querySelector("[data-poll]");
    if (!part) return;
    fetch(part.dataset.poll, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        part.outerHTML = html;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
