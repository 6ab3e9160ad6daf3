// Keyboard shortcuts: the letter shown beside an option chooses it, Enter submits, ← and →
// follow the page's previous and next links. Every page works without them.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input[type=text], input:not([type]), textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var form = event.target.closest("form[data-choices]") || document.querySelector("form[data-choices]");
    // A–Z choose the option with that letter in the focused group (or the form's first open
    // group): options are lettered per group, as shown.
    if (form && /^[a-z]$/i.test(event.key)) {
      var group = event.target.closest("fieldset") || form.querySelector("fieldset:not([disabled])");
      var inputs = group ? group.querySelectorAll("input[type=radio], input[type=checkbox]") : [];
      var input = inputs[event.key.toLowerCase().charCodeAt(0) - 97];
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
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    if (rel && !event.target.closest("fieldset, [role=region]")) {
      var link = document.querySelector("a[data-key='" + rel + "']");
      if (link) {
        event.preventDefault();
        link.click();
      }
    }
  });
})();
