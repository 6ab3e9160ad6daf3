// The challenge countdown shows the deadline the server stored; at zero the page asks the
// server again. It turns amber at one minute and red at ten seconds, and says so to screen
// readers at those two moments only (the timer itself is not read out every second).
(function () {
  "use strict";
  var running = 0;

  function start() {
    var clock = document.querySelector("[data-remaining]");
    var run = ++running;
    if (!clock) return;
    var bar = clock.closest(".statusbar") || clock;
    var alert = document.querySelector("[data-clock-alert]");
    var ends = Date.now() + Number(clock.getAttribute("data-remaining")) * 1000;
    var said = {};
    var tick = function () {
      if (run !== running) return; // a newer page replaced this one
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      bar.classList.toggle("low", left <= 60 && left > 10);
      bar.classList.toggle("critical", left <= 10);
      [[60, "One minute left."], [10, "Ten seconds left."]].forEach(function (moment) {
        if (left <= moment[0] && left > 0 && !said[moment[0]] && alert) {
          said[moment[0]] = true;
          // Only a moment reached while the page is open is announced, not one already past.
          if (left > moment[0] - 3) alert.textContent = moment[1];
        }
      });
      if (left === 0) {
        window.location.reload();
        return;
      }
      window.setTimeout(tick, 250);
    };
    tick();
  }

  start();
  document.addEventListener("codedrill:page", start);
})();
