/* steerco: keyboard support for the WBS grid, and small htmx hooks. No inline scripts. */
(function () {
  "use strict";
  function cell(uid, col) { return document.getElementById(col + "-" + uid); }
  function rowsOf(tbody) { return Array.prototype.slice.call(tbody.querySelectorAll("tr[data-uid]")); }

  document.addEventListener("keydown", function (ev) {
    var input = ev.target;
    if (!input.dataset || !input.dataset.col) { return; }
    var tr = input.closest("tr[data-uid]");
    if (!tr) { return; }
    var rows = rowsOf(tr.parentNode), i = rows.indexOf(tr), next = null;
    if (ev.altKey && ev.shiftKey && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
      ev.preventDefault();
      var button = tr.querySelector(ev.key === "ArrowRight" ? "button[aria-label^='Indent']" : "button[aria-label^='Outdent']");
      if (button) { button.click(); }
      return;
    }
    if (ev.key === "ArrowDown" || ev.key === "Enter") { next = rows[i + 1]; }
    else if (ev.key === "ArrowUp") { next = rows[i - 1]; }
    else { return; }
    ev.preventDefault();
    if (next) { var target = cell(next.dataset.uid, input.dataset.col); if (target) { target.focus(); target.select(); } }
    else if (ev.key !== "ArrowUp") { var n = document.getElementById("new-name"); if (n) { n.focus(); } }
  });

  // Inputs keep their ids across a swap, so htmx restores focus; after adding a task the
  // form is cleared for the next one, as typing down a grid expects.
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.detail.elt;
    if (form && form.id === "new-task" && ev.detail.successful) {
      form.reset();
      var n = document.getElementById("new-name"); if (n) { n.focus(); }
    }
  });
}());
