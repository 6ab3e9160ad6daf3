// codedrill's only script: keyboard shortcuts and the challenge countdown. Every page works
// without it; it only adds keys to what links, forms and the server already do.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input[type=text], input:not([type]), textarea, select, [contenteditable]");
  }

  // 1–9 choose the nth option of the focused group (or the form's first open group); Enter
  // submits the form the focus is in.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var form = event.target.closest("form[data-choices]") || document.querySelector("form[data-choices]");
    if (form && /^[1-9]$/.test(event.key)) {
      var group = event.target.closest("fieldset") || form.querySelector("fieldset:not([disabled])");
      var inputs = group ? group.querySelectorAll("input[type=radio], input[type=checkbox]") : [];
      var input = inputs[Number(event.key) - 1];
      if (input && !input.disabled) {
        input.click();
        input.focus();
        event.preventDefault();
      }
      return;
    }
    if (event.key === "Enter" && event.target.matches("form[data-choices] input")) {
      event.preventDefault();
      event.target.form.requestSubmit();
      return;
    }
    // ← and → follow the page's previous and next links (Visualize steps, Practice problems).
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    if (rel && !event.target.closest("fieldset, [role=region]")) {
      var link = document.querySelector("a[data-key='" + rel + "']");
      if (link) {
        event.preventDefault();
        link.click();
      }
    }
  });

  // The countdown only shows the deadline the server stored; at zero the page asks the server.
  var clock = document.querySelector("[data-remaining]");
  if (clock) {
    var ends = Date.now() + Number(clock.getAttribute("data-remaining")) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        window.location.reload();
        return;
      }
      window.setTimeout(tick, 250);
    };
    tick();
  }
})();
