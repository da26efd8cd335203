// huashu: the cards pages. Each print run's page holds only its layout (which card, on
// what paper, in what type size, with pinyin or not); the cards themselves are shared by
// every run (cards/data/cards.js, and cards/data/pinyin.js for their pinyin), written by
// huashu/cards.py. This builds the run's cards from both, then wires the print buttons:
// one card prints alone on its paper, "print all" prints every sheet of the run.
(function () {
  "use strict";
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return ESCAPES[c]; });
  }

  // Each hanzi in its own box with its syllable (cards.css `h-p`); `readings` has one
  // space-separated token per character, empty for anything not hanzi. Closing punctuation
  // stays with what it follows and opening punctuation with what it precedes (`h-g`, kept on
  // one row): between boxes the browser would otherwise start a row with "，" or "。".
  function withPinyin(text, readings, noRowStart, noRowEnd) {
    var syllables = (readings || "").split(" "), groups = [], i = 0, glue = false;
    for (var ch of text) {
      var reading = syllables[i++];
      var html = reading ? "<h-p><ruby>" + esc(ch) + "<rt>" + esc(reading) + "</ruby></h-p>" : esc(ch);
      if (groups.length && (glue || noRowStart.indexOf(ch) >= 0)) groups[groups.length - 1].push(html);
      else groups.push([html]);
      glue = noRowEnd.indexOf(ch) >= 0;
    }
    return groups.map(function (group) {
      return group.length > 1 ? "<h-g>" + group.join("") + "</h-g>" : group[0];
    }).join("");
  }

  function cardsHtml(data, pinyin, layout) {
    var texts = data.texts, marks = data.marks;

    function text(index, on) {
      return on ? withPinyin(texts[index], pinyin[index], data.no_row_start, data.no_row_end) : esc(texts[index]);
    }
    function overdue(on) {
      return on ? '<span class="hs-card__overdue">' + esc(marks.overdue) + "</span>" : "";
    }
    function line(kind, textIndex, number, on) {
      var mark = kind === "forbidden" || kind === "alternative" ? marks[kind] : "";
      return '<p class="hs-card__line hs-card__line--' + kind + '">' +
        (number ? '<span class="hs-card__num">' + number + ".</span>" : "") +
        (mark ? '<span class="hs-card__mark">' + esc(mark) + "</span>" : "") +
        '<span class="hs-card__text">' + text(textIndex, on) + "</span></p>";
    }
    function block(record, on) {
      // [heading text or -1, step number or 0, overdue, then kind and text of each line]
      var out = '<div class="hs-card__block">';
      if (record[0] >= 0) out += '<p class="hs-card__heading">' + text(record[0], on) + overdue(record[2]) + "</p>";
      for (var k = 3; k < record.length; k += 2) {
        out += line(data.kinds[record[k]], record[k + 1], k === 3 ? record[1] : 0, on);
      }
      return out + "</div>";
    }
    function footer(card) {
      // [.., reviewed, overdue count, title overdue, url]
      var url = card[9], qr = url && data.qrs[url] ? data.qrs[url] : "";
      var parts = ["打印日期 " + esc(data.printed), "上次复核 " + esc(card[6])];
      if (card[7]) parts.push('<strong class="hs-card__overdue">' + esc(marks.overdue) + " " + card[7] + " 条</strong>");
      if (url) parts.push('<span class="hs-card__url">' + esc(url) + "</span>");
      return '<div class="hs-card__source"><p>' + parts.join(" · ") + "</p>" + qr + "</div>";
    }
    function card(placed) {
      // placed: [card, paper, type size in pt, pinyin]; a card: [id, title, part, parts,
      // first block, end of blocks, ...footer]
      var c = data.cards[placed[0]], on = placed[3] === 1, url = c[9];
      var id = c[0], part = c[2], parts = c[3];
      var classes = "hs-card hs-card--" + placed[1] + (on ? " hs-card--pinyin" : "") +
        (url && data.qrs[url] ? " hs-card--qr" : "");
      var out = '<section class="' + classes + '" id="card-' + esc(id) + (parts > 1 ? "-" + part : "") +
        '" data-card="' + esc(id) + '" style="font-size: ' + placed[2] + 'pt">' +
        '<h2 class="hs-card__title">' + text(c[1], on) + (parts > 1 ? "（" + part + "/" + parts + "）" : "") +
        overdue(c[8]) + '</h2><div class="hs-card__body">';
      for (var b = c[4]; b < c[5]; b++) out += block(data.blocks[b], on);
      return out + "</div>" + footer(c) + '<button type="button" class="hs-card__print">打印这张</button></section>';
    }

    var html = [], placed = layout.cards, perSheet = layout.per_sheet;
    for (var i = 0; i < placed.length; i += perSheet) {
      var sheet = placed.slice(i, i + perSheet);
      html.push('<div class="hs-sheet hs-sheet--' + (perSheet > 1 ? "a4-4up" : sheet[0][1]) + '">');
      html.push(sheet.map(card).join(""), "</div>");
    }
    return html.join("");
  }

  function buildCards() {
    var container = document.querySelector(".hs-cards");
    var layout = document.querySelector(".hs-cards-layout");
    if (!container || !layout) return;
    var data = window.huashuCardData;
    var placed = JSON.parse(layout.textContent);
    var needsPinyin = placed.cards.some(function (c) { return c[3] === 1; });
    if (!data || (needsPinyin && !window.huashuCardPinyin)) {
      container.innerHTML = '<p class="hs-cards-missing">卡片数据没有加载成功（cards/data/ 下的文件）。' +
        "请刷新本页；仍然不行，请把这条提示报告给维护手册的同事。</p>";
      return;
    }
    container.innerHTML = cardsHtml(data, window.huashuCardPinyin || [], placed);
    container.setAttribute("data-built", "");
  }

  // The marks stay until the print is done ("afterprint"): window.print() returns before
  // printing in some browsers, and printing a marked page is also how the tests print one card.
  function unmark() {
    document.body.classList.remove("hs-print-one");
    document.querySelectorAll(".hs-print-this").forEach(function (el) { el.classList.remove("hs-print-this"); });
  }

  buildCards();
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
