// "Copy link" under a shared page (components/_share_links.html). Without JavaScript
// the address stays in its read-only field to copy by hand; with it, a button copies
// it and the live region says so. Same origin only: the CSP's script-src 'self'.
(function () {
  "use strict";
  var button = document.querySelector("[data-share-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-share-copy"));
  var status = button.parentNode.querySelector("[role=status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () {
      status.textContent = "";
      // A fresh text each time so that screen readers announce a second copy too.
      window.setTimeout(function () { status.textContent = button.getAttribute("data-share-done"); }, 50);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      if (document.execCommand && document.execCommand("copy")) done();
    }
  });
})();
