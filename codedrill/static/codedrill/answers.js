// Answer without a page reload: a form marked data-enhance is sent with fetch, the page the
// server answers with (after its redirect) replaces <main>, and focus moves to the feedback,
// a live region, so the result is read out and the next key press acts on it. Without
// JavaScript, or if the request fails, the form submits as usual.
(function () {
  "use strict";

  function swap(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var main = next.querySelector("main");
    if (!main) return false;
    document.querySelector("main").replaceWith(main);
    document.title = next.title;
    if (url !== window.location.href.split("#")[0]) window.history.pushState(null, "", url);
    document.dispatchEvent(new CustomEvent("codedrill:page"));
    return main;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-enhance]") || !window.fetch) return;
    event.preventDefault();
    var body = new FormData(form);
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { return swap(html, response.url); });
      })
      .then(function (main) {
        if (!main) throw new Error("no page");
        var target = main.querySelector("#" + (form.getAttribute("data-enhance") || "feedback"));
        if (!target || !target.textContent.trim()) target = main;
        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
        target.focus();
      })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        form.submit();
      });
  });

  window.addEventListener("popstate", function () { window.location.reload(); });
})();
