// The chair's countdown on a consultation's speakers list: one clock per
// speaker, counting down from the allotted time and then on into overtime
// (shown red, with a minus sign). Stopping fills the speaker's duration form.
(function () {
  "use strict";

  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }

  function setUp(item) {
    var allotted = parseInt(item.getAttribute("data-allotted"), 10) || 0;
    var clock = item.querySelector(".countdown-clock");
    var start = item.querySelector(".countdown-start");
    var stop = item.querySelector(".countdown-stop");
    var form = item.querySelector(".countdown-save");
    var startedAt = null;
    var timer = null;

    function show(elapsed) {
      var left = allotted - elapsed;
      clock.textContent = format(left);
      clock.classList.toggle("is-over", left < 0);
      clock.classList.toggle("is-ending", left >= 0 && left <= 60);
    }

    function elapsed() {
      return Math.floor((Date.now() - startedAt) / 1000);
    }

    show(0);
    start.addEventListener("click", function () {
      startedAt = Date.now();
      start.disabled = true;
      stop.disabled = false;
      item.classList.add("is-speaking");
      timer = window.setInterval(function () { show(elapsed()); }, 250);
    });
    stop.addEventListener("click", function () {
      if (timer === null) { return; }
      window.clearInterval(timer);
      timer = null;
      var taken = Math.max(1, elapsed());
      show(taken);
      stop.disabled = true;
      start.disabled = false;
      item.classList.remove("is-speaking");
      if (form) {
        form.querySelector("[name=minutes]").value = Math.floor(taken / 60);
        form.querySelector("[name=seconds]").value = taken % 60;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".countdown-speaker").forEach(setUp);
  });
})();
