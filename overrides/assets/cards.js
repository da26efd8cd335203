// huashu: print buttons on the cards page. One card prints alone on its paper;
// "print all" prints every sheet of the current print run.
(function () {
  "use strict";
  // The marks stay until the print is done ("afterprint"): window.print() returns before
  // printing in some browsers, and printing a marked page is also how the tests print one card.
  function unmark() {
    document.body.classList.remove("hs-print-one");
    document.querySelectorAll(".hs-print-this").forEach(function (el) { el.classList.remove("hs-print-this"); });
  }
  window.addEventListener("afterprint", unmark);
  document.addEventListener("click", function (event) {
    var one = event.target.closest && event.target.closest(".hs-card__print");
    var all = event.target.closest && event.target.closest(".hs-print-all");
    if (!one && !all) return;
    unmark();
    if (one) {
      var card = one.closest(".hs-card");
      card.classList.add("hs-print-this");
      card.closest(".hs-sheet").classList.add("hs-print-this");
      document.body.classList.add("hs-print-one");
    }
    window.print();
  });
})();
