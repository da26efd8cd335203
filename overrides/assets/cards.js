// huashu: print buttons on the cards page. One card prints alone on its paper;
// "print all" prints every sheet of the current print run.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var one = event.target.closest && event.target.closest(".hs-card__print");
    var all = event.target.closest && event.target.closest(".hs-print-all");
    if (!one && !all) return;
    var marked = [];
    if (one) {
      var card = one.closest(".hs-card"), sheet = card.closest(".hs-sheet");
      [card, sheet].forEach(function (el) { el.classList.add("hs-print-this"); marked.push(el); });
      document.body.classList.add("hs-print-one");
    }
    window.print();
    document.body.classList.remove("hs-print-one");
    marked.forEach(function (el) { el.classList.remove("hs-print-this"); });
  });
})();
