// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // After a failed submit the error summary takes focus (it also has
  // autofocus); a link in it focuses its field and scrolls the field's
  // label and message into view with it, not just the input.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    if (document.activeElement === document.body || !document.activeElement) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var field = input.closest(".field") || input;
      field.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }

  // "Print your letter" on the letter page; without this script the
  // browser's own Print command does the same.
  var print = document.querySelector("[data-print-button]");
  if (print && typeof window.print === "function") {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  // "Copy" beside the campaign's address on the thank-you page.
  var button = document.querySelector("[data-copy-button]");
  var source = document.querySelector("[data-copy-source]");
  var status = document.querySelector("[data-copy-status]");
  if (button && source && navigator.clipboard) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied-text");
      }, function () {
        source.select();
      });
    });
  }
})();
