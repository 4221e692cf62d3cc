// Copies the export password shown once; selecting the field by hand works without this too.
(function () {
  "use strict";
  var button = document.getElementById("copy-password");
  var field = document.getElementById("export-password");
  if (!button || !field) { return; }
  button.addEventListener("click", function () {
    field.focus();
    field.select();
    var done = function () { button.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
