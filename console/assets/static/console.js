// slbcert console: enhancements only. Every form works without this file.
(function () {
  "use strict";
  // The region selector follows its choice at once (its Go button stays
  // for keyboards and for browsers without scripts).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  // Destructive forms ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  // A submitted form says it is working and is not sent twice.
  document.querySelectorAll("form[method=post]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (e.defaultPrevented) { return; }
      if (f.dataset.sent) { e.preventDefault(); return; }
      f.dataset.sent = "1";
      f.setAttribute("aria-busy", "true");
    });
  });
})();
