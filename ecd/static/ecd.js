// Warns two minutes before the idle timeout ends the session, then goes to the login page.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) { return; }
  var warnAt = Math.max(idle - 120, 30) * 1000;
  window.setTimeout(function () {
    var box = document.getElementById("idle-warning");
    if (box) { box.hidden = false; }
  }, warnAt);
  window.setTimeout(function () { window.location.assign("/inloggen/?verlopen=1"); }, idle * 1000 + 1000);
})();

// Foldable sections (<details class="fold" data-fold="name">) remember whether they were
// folded, per section name on this device; nothing about the client is stored.
(function () {
  "use strict";
  var key = function (details) { return "ecd.fold." + details.getAttribute("data-fold"); };
  var folds = document.querySelectorAll("details.fold[data-fold]");
  Array.prototype.forEach.call(folds, function (details) {
    try {
      if (window.localStorage.getItem(key(details)) === "dicht") { details.open = false; }
    } catch (e) { /* storage off: sections stay open */ }
    details.addEventListener("toggle", function () {
      try {
        if (details.open) { window.localStorage.removeItem(key(details)); }
        else { window.localStorage.setItem(key(details), "dicht"); }
      } catch (e) { /* storage off */ }
    });
  });
})();

// Print buttons (<button data-print>): the browser's own print dialog; the print
// stylesheet in ecd.css leaves only the content (for example the backup codes).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
