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
