/* The household list: choosing a commune sends the filters at once, so that the village filter follows it. A static
   file rather than an onchange attribute, which a Content Security Policy without 'unsafe-inline' would block. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.requestSubmit();
    });
  });
})();
