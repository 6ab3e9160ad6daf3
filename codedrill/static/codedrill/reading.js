// A reading page counts as read once the learner has scrolled to its end: the page's own
// "Done" form is sent in the background (the button stays for anyone without JavaScript).
(function () {
  "use strict";
  var form = document.querySelector("form[data-read]");
  var end = document.querySelector("[data-read-end]");
  if (!form || !end || !window.IntersectionObserver || !window.fetch) return;

  function markRead() {
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function () {
        var note = document.querySelector("[data-read-note]");
        if (note) note.hidden = false;
      });
  }

  // Seen after scrolling, or at once when the whole page fits on the screen.
  var watch = function () {
    var seen = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      seen.disconnect();
      markRead();
    });
    seen.observe(end);
  };
  if (document.documentElement.scrollHeight <= window.innerHeight) watch();
  else window.addEventListener("scroll", watch, { once: true, passive: true });
})();
