// After a passkey is registered, go on to the next page: the library's script
// (django_otp_webauthn/otp_webauthn_register.js) only reports success with an event.
(function () {
  "use strict";
  var box = document.getElementById("passkey-setup");
  if (!box) { return; }
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.location.assign(box.getAttribute("data-next"));
  });
})();
