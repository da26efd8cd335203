// huashu search box: keyboard-first search in the header (and on /search/).
// Uses only the public search API (window.huashu, from loader.js), like any embedder would.
(function () {
  "use strict";
  var api;
  var STARRED = "huashu.starred", RECENT = "huashu.recent", SALUTATION = "huashu.salutation";
  var CHANNEL = "huashu.channel";
  var MAX_RECENT = 10;
  // A query unchanged this long is one the agent has settled on (see settle).
  var SETTLE_MS = 2000;
  // `selected` for a fresh list: its first result (below a "did you mean" line, if any).
  var FIRST = -1;

  // --- storage (localStorage may be unavailable, e.g. disabled by policy) -------

  function readList(key) {
    try { var v = JSON.parse(window.localStorage.getItem(key) || "[]"); return Array.isArray(v) ? v : []; }
    catch (e) { return []; }
  }
  function writeList(key, list) {
    try { window.localStorage.setItem(key, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }
  function readSession(key) {
    try { return window.sessionStorage.getItem(key) || ""; } catch (e) { return ""; }
  }
  function writeSession(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* ignore */ }
  }
  // The channel filter, for every page and visit: "" (every channel) or one the select offers.
  function readChannel(select) {
    var value = "";
    try { value = window.localStorage.getItem(CHANNEL) || ""; } catch (e) { /* storage disabled */ }
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return value;
    return "";
  }
  function writeChannel(value) {
    try { window.localStorage.setItem(CHANNEL, value); } catch (e) { /* private mode */ }
  }

  // --- rendering helpers (text only: content never becomes markup) --------------

  // The part of a long text the result shows (three lines at most): the
  // beginning, or a window around the first highlight. Marks are shifted to it.
  var SNIPPET = 150;
  function snippet(text, marks) {
    if (text.length <= SNIPPET) return [text, marks];
    var from = marks.length && marks[0][1] > SNIPPET ? Math.max(0, marks[0][0] - 20) : 0;
    var to = Math.min(text.length, from + SNIPPET);
    var shifted = marks.filter(function (m) { return m[0] >= from && m[1] <= to; }).map(function (m) {
      return [m[0] - from + (from ? 1 : 0), m[1] - from + (from ? 1 : 0)];
    });
    return [(from ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : ""), shifted];
  }

  function fillPlaceholders(text, salutation) {
    return salutation ? text.replace(/\{称呼\}/g, salutation) : text;
  }

  function copyable(result) {
    return result.kind !== "category" && !!result.text;
  }

  // --- one search box -------------------------------------------------------------

  function SearchBox(root) {
    this.root = root;
    this.page = root.classList.contains("hs-search--page");
    this.input = root.querySelector(".hs-search__input");
    this.panel = root.querySelector(".hs-search__panel");
    this.list = root.querySelector(".hs-search__results");
    this.status = root.querySelector(".hs-search__status");
    this.more = root.querySelector(".hs-search__more");
    this.salutation = root.querySelector(".hs-search__salutation input");
    this.kindButtons = Array.prototype.slice.call(root.querySelectorAll("[data-kind]"));
    this.channelSelect = root.querySelector(".hs-search__channel");
    this.kind = "";
    this.channel = readChannel(this.channelSelect);
    this.showChannel();
    // What each channel is called, as the select names it: {phone: "电话", ...}.
    this.channelTitles = {};
    for (var i = 0; i < this.channelSelect.options.length; i++) {
      this.channelTitles[this.channelSelect.options[i].value] = this.channelSelect.options[i].textContent;
    }
    this.results = [];
    // The selectable lines: the "did you mean" line (if any) first, then the results.
    this.suggestion = "";
    this.offset = 0;
    this.selected = FIRST; // index into the selectable lines
    this.shown = null; // what the last search found: {query, hasAll, complete}
    this.settled = ""; // the last query recorded as settled
    this.composing = false;
    this.limit = this.page ? 50 : 10;
    this.salutation.value = readSession(SALUTATION);
    this.bind();
  }

  SearchBox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.selected = FIRST; self.update(); self.settleLater(); });
    this.input.addEventListener("compositionstart", function () { self.composing = true; });
    this.input.addEventListener("compositionend", function () { self.composing = false; self.settleLater(); });
    this.input.addEventListener("focus", function () { api.loadBodies(); self.open(); });
    this.input.addEventListener("keydown", function (e) { self.onKey(e); });
    this.salutation.addEventListener("input", function () {
      writeSession(SALUTATION, self.salutation.value.trim());
    });
    this.salutation.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { self.salutation.value = ""; writeSession(SALUTATION, ""); }
      if (e.key === "Enter" || e.key === "Escape") { e.preventDefault(); self.input.focus(); }
    });
    this.kindButtons.forEach(function (button) {
      button.addEventListener("click", function () { self.setKind(button.getAttribute("data-kind")); self.input.focus(); });
    });
    this.channelSelect.addEventListener("change", function () {
      writeChannel(self.channelSelect.value);
      self.root.dispatchEvent(new CustomEvent("huashu:channel", { bubbles: true, detail: self.channelSelect.value }));
      self.input.focus();
    });
    // Keys on the select are its own (arrows pick a channel); Enter or Esc go back to the box.
    this.channelSelect.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === "Escape") { e.preventDefault(); self.input.focus(); }
    });
    // Clicks inside the panel must not blur the input and close the panel first
    // (except on the controls that need the focus themselves).
    this.panel.addEventListener("mousedown", function (e) {
      if (e.target !== self.salutation && e.target !== self.channelSelect) e.preventDefault();
    });
    this.list.addEventListener("click", function (e) { self.onClick(e); });
    if (!this.page) {
      document.addEventListener("mousedown", function (e) {
        if (!self.root.contains(e.target)) self.close();
      });
    }
  };

  SearchBox.prototype.open = function () {
    this.panel.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.update();
  };

  SearchBox.prototype.close = function () {
    if (this.page) return;
    if (!this.panel.hidden) this.settle();
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  SearchBox.prototype.setKind = function (kind) {
    this.kind = kind || "";
    this.kindButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-kind") === kind)); });
    this.selected = FIRST;
    this.update();
  };

  SearchBox.prototype.setChannel = function (channel) {
    this.channel = channel || "";
    this.showChannel();
    this.selected = FIRST;
    if (!this.panel.hidden) this.update();
  };

  // The select shows the channel, filled in when it filters: a filter left on must be seen.
  SearchBox.prototype.showChannel = function () {
    if (this.channelSelect.value !== this.channel) this.channelSelect.value = this.channel;
    this.channelSelect.classList.toggle("hs-search__channel--on", !!this.channel);
  };

  SearchBox.prototype.query = function () {
    return this.input.value.trim();
  };

  SearchBox.prototype.update = function () {
    var query = this.query();
    var kinds = null;
    if (this.kind) { kinds = {}; kinds[this.kind] = true; }
    var options = { limit: this.limit, kinds: kinds };
    if (this.channel) options.channel = this.channel;
    this.suggestion = "";
    if (query) {
      var results = api.searchNow(query, options), nearest = false;
      // Never a dead end: nothing matched, so the entries closest to the query.
      if (!results.length && !api.error && api.nearest) {
        var found = api.nearest(query, { limit: Math.min(this.limit, 10), kinds: kinds, channel: options.channel });
        results = found.results || [];
        this.suggestion = found.didYouMean || "";
        nearest = true;
      }
      this.results = results;
      this.shown = {
        query: query,
        hasAll: !nearest && results.some(function (r) { return r.match !== "partial"; }),
        complete: api.isComplete() && !api.error,
      };
      this.render(results, null, nearest);
      if (this.page) this.rememberQuery(query);
    } else {
      this.shown = null;
      this.settled = "";
      this.renderShortcuts(kinds);
    }
  };

  // --- missed searches ---------------------------------------------------------------
  // A query that found nothing matching all of it is kept (huashu.misses, this browser
  // only) once the agent has settled on it: the panel closes, a result is opened or
  // copied, the box is cleared with Esc, or the query stays unchanged for SETTLE_MS.
  // Never while typing: typing 投诉 must not record 投. Once per settled query.

  SearchBox.prototype.settleLater = function () {
    var self = this;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(function () { self.settle(true); }, SETTLE_MS);
  };

  SearchBox.prototype.settle = function (byTimer) {
    clearTimeout(this.settleTimer);
    var query = this.query(), shown = this.shown;
    if (!query || this.composing || query === this.settled || !shown || shown.query !== query) return;
    if (!shown.complete) {
      // Only the titles are in yet: "found nothing" would not be the whole truth.
      if (byTimer && !api.error) this.settleLater();
      return;
    }
    this.settled = query;
    if (!shown.hasAll && api.misses) api.misses.record(query);
  };

  SearchBox.prototype.rememberQuery = function (query) {
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url.href);
  };

  SearchBox.prototype.renderShortcuts = function (kinds) {
    function entries(key) {
      return readList(key).map(function (id) { return api.entry(id); }).filter(function (r) {
        return r && (!kinds || kinds[r.kind]);
      });
    }
    var starred = entries(STARRED), recent = entries(RECENT);
    this.results = starred.concat(recent);
    this.render(this.results, { starred: starred.length, recent: recent.length });
  };

  // Result rows are kept across keystrokes and only their text is updated:
  // far cheaper than replacing the nodes, whose layout the browser then keeps.
  // Content only ever goes in as text nodes, never as markup.
  function node(tag, cls, parent) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }

  function setText(n, text) {
    if (n.textContent !== text) n.textContent = text;
  }

  function setAttr(n, name, value) {
    if (n.getAttribute(name) !== value) n.setAttribute(name, value);
  }

  // `text` into `n` with the [start, end) ranges wrapped in <mark>.
  function setMarked(n, text, marks) {
    var key = text + "\u0000" + marks.join(";");
    if (n.hsKey === key) return;
    n.hsKey = key;
    n.textContent = "";
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) return;
      if (m[0] > at) n.appendChild(document.createTextNode(text.slice(at, m[0])));
      node("mark", "", n).textContent = text.slice(m[0], m[1]);
      at = m[1];
    });
    if (at < text.length) n.appendChild(document.createTextNode(text.slice(at)));
  }

  function Row(list) {
    this.li = node("li", "hs-result", list);
    this.li.setAttribute("role", "option");
    var head = node("div", "hs-result__head", this.li);
    this.kind = node("span", "hs-result__kind", head);
    this.title = node("a", "hs-result__title", head);
    this.title.tabIndex = -1;
    // Labels and category: beside the title, or on a line of their own in a narrow panel.
    var meta = node("span", "hs-result__meta", head);
    this.partial = node("span", "hs-result__partial", meta);
    this.partial.textContent = "部分匹配";
    this.partial.title = "这一条只匹配了搜索词的一部分";
    this.channels = node("span", "hs-result__channels", meta);
    this.channels.title = "适用渠道";
    this.category = node("span", "hs-result__category", meta);
    this.star = node("span", "hs-result__star", head);
    this.star.setAttribute("role", "button");
    this.star.title = "收藏（Ctrl+S）";
    this.copy = node("span", "hs-result__copy", head);
    this.copy.setAttribute("role", "button");
    this.copy.title = "复制（Ctrl+Enter）";
    this.text = node("div", "hs-result__text", this.li);
    this.label = node("span", "hs-result__label", this.text);
    this.body = node("span", "", this.text);
  }

  // `partial`: the entry covers only part of the query; `channels`: their titles, "" for all.
  Row.prototype.show = function (r, index, selected, starred, partial, channels) {
    this.li.hidden = false;
    setAttr(this.li, "data-index", String(index));
    setAttr(this.li, "data-id", r.id);
    setAttr(this.li, "aria-selected", String(selected));
    this.li.classList.toggle("hs-result--partial", partial);
    this.partial.hidden = !partial;
    this.channels.hidden = !channels;
    setText(this.channels, channels);
    setAttr(this.kind, "class", "hs-result__kind hs-result__kind--" + r.kind);
    setText(this.kind, api.kindTitles[r.kind] || r.kind);
    setMarked(this.title, r.title, r.highlights.title);
    setAttr(this.title, "href", r.url);
    setText(this.category, r.category);
    this.star.hidden = r.kind === "category";
    setText(this.star, starred ? "★" : "☆");
    this.copy.hidden = !copyable(r);
    setText(this.copy, "复制");
    this.copy.classList.remove("hs-copied");
    this.text.hidden = !r.text;
    setText(this.label, r.avoid ? "建议说：" : "");
    var shown = snippet(r.text, r.highlights.text);
    setMarked(this.body, shown[0], shown[1]);
  };

  SearchBox.prototype.channelText = function (channels) {
    var titles = this.channelTitles;
    return (channels || []).map(function (c) { return titles[c] || c; }).join("、");
  };

  // `nearest`: the results are the closest entries to a query that matched nothing.
  SearchBox.prototype.render = function (results, shortcuts, nearest) {
    var list = this.list, rows = this.rows || (this.rows = []), starred = readList(STARRED), query = this.query();
    if (!this.groups) {
      // Above the results: why there is no full match, and a title the agent may have meant.
      this.notice = node("li", "hs-search__notice", list);
      this.suggest = node("li", "hs-search__suggest", list);
      this.suggest.setAttribute("role", "option");
      this.suggest.title = "搜索这个标题（Enter）";
      node("span", "hs-search__suggest-label", this.suggest).textContent = "您是不是要找：";
      this.suggestTitle = node("span", "hs-search__suggest-title", this.suggest);
      this.groups = [node("li", "hs-search__group", list), node("li", "hs-search__group", list)];
      this.groups[0].textContent = "收藏";
      this.groups[1].textContent = "最近复制";
      this.partialGroup = node("li", "hs-search__group hs-search__group--partial", list);
      this.partialGroup.textContent = "以下结果只匹配了部分词语";
      this.empty = node("li", "hs-search__empty", list);
    }
    this.offset = this.suggestion ? 1 : 0;
    var count = this.offset + results.length;
    if (this.selected === FIRST) this.selected = results.length ? this.offset : 0;
    if (this.selected >= count) this.selected = Math.max(0, count - 1);
    while (rows.length < results.length) {
      rows.push(new Row(list));
      list.insertBefore(rows[rows.length - 1].li, this.empty);
    }
    var firstPartial = -1;
    for (var i = 0; i < rows.length; i++) {
      if (i < results.length) {
        var r = results[i], partial = !!query && (nearest || r.match === "partial");
        if (partial && firstPartial < 0) firstPartial = i;
        rows[i].show(r, i, i + this.offset === this.selected, starred.indexOf(r.id) >= 0, partial, this.channelText(r.channels));
      } else rows[i].li.hidden = true;
    }
    this.placeGroup(this.groups[0], shortcuts && shortcuts.starred ? rows[0] : null);
    this.placeGroup(this.groups[1], shortcuts && shortcuts.recent ? rows[shortcuts.starred] : null);
    this.placeGroup(this.partialGroup, firstPartial >= 0 ? rows[firstPartial] : null);
    // No result matches the whole query: say so above what is shown instead.
    var noFullMatch = !!query && !api.error && results.length > 0 && firstPartial === 0;
    this.notice.hidden = !noFullMatch;
    if (noFullMatch) setText(this.notice, this.noMatchText(query));
    this.suggest.hidden = !this.suggestion;
    setText(this.suggestTitle, this.suggestion);
    setAttr(this.suggest, "aria-selected", String(!!this.suggestion && this.selected === 0));
    this.empty.hidden = results.length > 0;
    // An index search cannot read: its message (text only) instead of results.
    this.empty.classList.toggle("hs-search__empty--error", !!api.error);
    if (api.error) setText(this.empty, api.error);
    else if (!results.length) {
      setText(this.empty, query ? this.noMatchText(query) + "。" + this.emptyAdvice()
        : "输入关键词：汉字、拼音或首字母都可以。收藏和复制过的话术会显示在这里。");
    }
    var status = api.isComplete() ? "" : "正在载入全文索引……";
    if (this.status && this.status.textContent !== status) this.status.textContent = status;
    if (this.more && !this.page) {
      this.more.hidden = !query;
      if (query) this.more.href = this.searchPageUrl(query);
    }
    // No scrollIntoView here: it forces a layout on every keystroke. A fresh
    // list starts at its top; only arrow keys move the view.
  };

  SearchBox.prototype.noMatchText = function (query) {
    return "没有完全匹配“" + query + "”的结果";
  };

  // Nothing at all, not even an entry sharing a word: what the agent can try next.
  SearchBox.prototype.emptyAdvice = function () {
    var advice = "试试换个说法、只输入关键的一两个词，或用拼音首字母";
    if (this.channel) advice += "；现在只看“" + this.channelTitles[this.channel] + "”渠道，可以改成“全部渠道”再搜";
    if (this.kind) advice += "；现在只看“" + (api.kindTitles[this.kind] || this.kind) + "”，可以按 Alt+1 看全部类型";
    return advice + "。";
  };

  SearchBox.prototype.placeGroup = function (group, beforeRow) {
    group.hidden = !beforeRow;
    if (beforeRow && group.nextSibling !== beforeRow.li) this.list.insertBefore(group, beforeRow.li);
  };

  SearchBox.prototype.searchPageUrl = function (query) {
    if (!this.searchPage) {
      this.searchPage = new URL(this.root.getAttribute("data-search-page") || "search/", window.location.href).href;
    }
    return this.searchPage + "?q=" + encodeURIComponent(query);
  };

  SearchBox.prototype.scrollToSelected = function () {
    var line = this.suggestionSelected() ? this.suggest : this.rows && this.rows[this.selected - this.offset] && this.rows[this.selected - this.offset].li;
    if (line && line.scrollIntoView) line.scrollIntoView({ block: "nearest" });
  };

  SearchBox.prototype.move = function (delta) {
    var count = this.offset + this.results.length;
    if (!count) return;
    this.selected = (this.selected + delta + count) % count;
    if (this.suggest) setAttr(this.suggest, "aria-selected", String(this.suggestionSelected()));
    for (var i = 0; i < this.results.length; i++) {
      setAttr(this.rows[i].li, "aria-selected", String(i + this.offset === this.selected));
    }
    this.scrollToSelected();
  };

  SearchBox.prototype.suggestionSelected = function () {
    return !!this.suggestion && this.selected === 0;
  };

  // The selected result (null when the "did you mean" line is selected).
  SearchBox.prototype.current = function () {
    return this.results[this.selected - this.offset] || null;
  };

  // Search for the title the agent may have meant: the typed query was a miss.
  SearchBox.prototype.searchFor = function (text) {
    this.settle();
    this.input.value = text;
    this.selected = FIRST;
    this.update();
    this.settleLater();
    this.input.focus();
  };

  SearchBox.prototype.openResult = function (result) {
    if (!result) return;
    this.settle();
    window.location.href = result.url;
  };

  SearchBox.prototype.copy = function (result) {
    if (!result || !copyable(result)) return;
    this.settle();
    var text = fillPlaceholders(result.text, this.salutation.value.trim());
    var row = this.rows[this.results.indexOf(result)], button = row && row.copy;
    window.huashu.copyText(text).then(function () {
      var recent = readList(RECENT).filter(function (id) { return id !== result.id; });
      recent.unshift(result.id);
      writeList(RECENT, recent.slice(0, MAX_RECENT));
      if (button) { button.textContent = "已复制"; button.classList.add("hs-copied"); }
    }, function () {
      if (button) button.textContent = "复制失败";
    });
  };

  SearchBox.prototype.toggleStar = function (result) {
    if (!result || result.kind === "category") return;
    var starred = readList(STARRED), at = starred.indexOf(result.id);
    if (at >= 0) starred.splice(at, 1); else starred.unshift(result.id);
    writeList(STARRED, starred);
    var row = this.rows[this.results.indexOf(result)];
    if (row) row.star.textContent = at >= 0 ? "☆" : "★";
  };

  SearchBox.prototype.onKey = function (e) {
    var ctrl = e.ctrlKey || e.metaKey;
    if (e.key === "ArrowDown") { e.preventDefault(); this.move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); this.move(-1); }
    else if (e.key === "Enter" && ctrl) { e.preventDefault(); this.copy(this.current()); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (this.suggestionSelected()) this.searchFor(this.suggestion);
      else this.openResult(this.current());
    }
    else if (ctrl && (e.key === "c" || e.key === "C") && this.input.selectionStart === this.input.selectionEnd) {
      e.preventDefault();
      this.copy(this.current());
    } else if (ctrl && (e.key === "s" || e.key === "S")) { e.preventDefault(); this.toggleStar(this.current()); }
    else if (e.altKey && e.key >= "1" && e.key <= String(this.kindButtons.length)) {
      e.preventDefault(); // Alt+1 all kinds, then the kind buttons in their order
      this.setKind(this.kindButtons[Number(e.key) - 1].getAttribute("data-kind"));
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (this.input.value) { this.settle(); this.input.value = ""; this.update(); }
      else { this.close(); this.input.blur(); }
    }
  };

  SearchBox.prototype.onClick = function (e) {
    if (this.suggestion && e.target.closest(".hs-search__suggest")) { this.searchFor(this.suggestion); return; }
    var item = e.target.closest(".hs-result");
    if (!item) return;
    var result = this.results[Number(item.getAttribute("data-index"))];
    if (e.target.closest(".hs-result__copy")) { e.preventDefault(); this.copy(result); return; }
    if (e.target.closest(".hs-result__star")) { e.preventDefault(); this.toggleStar(result); return; }
    if (!e.target.closest("a")) this.openResult(result);
    else this.settle(); // the title link opens the entry itself
  };

  // --- wiring -----------------------------------------------------------------------

  function typingElsewhere(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function start() {
    api = window.huashu;
    api.ready.then(startBoxes);
  }

  function startBoxes() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-hs-search]")).map(function (root) {
      return new SearchBox(root);
    });
    if (!boxes.length) return;
    // On the search page its own box takes the keyboard; elsewhere the header's.
    var main = boxes.filter(function (b) { return b.page; })[0] || boxes[0];
    document.addEventListener("keydown", function (e) {
      if (typingElsewhere(e.target) || e.altKey) return;
      var ctrl = e.ctrlKey || e.metaKey;
      if ((!ctrl && (e.key === "/" || e.key === "s" || e.key === "S")) || (ctrl && (e.key === "k" || e.key === "K"))) {
        e.preventDefault();
        main.input.focus();
        main.input.select();
      }
    });
    api.onUpdate(function () {
      boxes.forEach(function (b) { if (!b.panel.hidden) b.update(); });
    });
    // One channel filter for every box (the search page has two), kept across visits.
    document.addEventListener("huashu:channel", function (e) {
      boxes.forEach(function (b) { b.setChannel(e.detail); });
    });
    // Leaving the page settles what is in the boxes (e.g. a link clicked on the search page).
    window.addEventListener("pagehide", function () {
      boxes.forEach(function (b) { b.settle(); });
    });
    if (main.page) {
      var q = new URL(window.location.href).searchParams.get("q");
      if (q) main.input.value = q;
      main.open();
      main.input.focus();
      if (q) main.settleLater();
    }
    api._boxes = boxes;
    document.documentElement.setAttribute("data-hs-search-ready", "");
  }

  // loader.js loads asynchronously: it may run before or after this file.
  if (window.huashu && window.huashu.ready) start();
  else document.addEventListener("huashu:engine", start, { once: true });
})();
