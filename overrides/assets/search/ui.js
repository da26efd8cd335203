// huashu search box: keyboard-first search in the header (and on /search/).
// Uses only the public API of engine.js (window.huashu), like any embedder would.
(function () {
  "use strict";
  var api = window.huashu;
  if (!api || !api.ready) return;

  var KIND_TITLES = { phrase: "话术", procedure: "流程", faq: "问答", category: "分类" };
  var STARRED = "huashu.starred", RECENT = "huashu.recent", SALUTATION = "huashu.salutation";
  var MAX_RECENT = 10;

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

  // --- rendering helpers (text only: content never becomes markup) --------------

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function highlighted(tag, cls, text, marks) {
    var node = el(tag, cls), at = 0;
    (marks || []).slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (m) {
      if (m[0] < at) return;
      if (m[0] > at) node.appendChild(document.createTextNode(text.slice(at, m[0])));
      node.appendChild(el("mark", "", text.slice(m[0], m[1])));
      at = m[1];
    });
    if (at < text.length) node.appendChild(document.createTextNode(text.slice(at)));
    return node;
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
    this.kind = "";
    this.results = [];
    this.selected = 0;
    this.limit = this.page ? 50 : 12;
    this.salutation.value = readSession(SALUTATION);
    this.bind();
  }

  SearchBox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.selected = 0; self.update(); });
    this.input.addEventListener("focus", function () { self.open(); });
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
    // Clicks inside the panel must not blur the input and close the panel first.
    this.panel.addEventListener("mousedown", function (e) {
      if (e.target !== self.salutation) e.preventDefault();
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
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  };

  SearchBox.prototype.setKind = function (kind) {
    this.kind = kind || "";
    this.kindButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-kind") === kind)); });
    this.selected = 0;
    this.update();
  };

  SearchBox.prototype.query = function () {
    return this.input.value.trim();
  };

  SearchBox.prototype.update = function () {
    var query = this.query();
    var kinds = null;
    if (this.kind) { kinds = {}; kinds[this.kind] = true; }
    if (query) {
      this.results = api.searchNow(query, { limit: this.limit, kinds: kinds });
      this.render(this.results, null);
      if (this.page) this.rememberQuery(query);
    } else {
      this.renderShortcuts(kinds);
    }
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

  SearchBox.prototype.render = function (results, shortcuts) {
    var list = this.list, self = this, starred = readList(STARRED);
    list.textContent = "";
    if (this.selected >= results.length) this.selected = Math.max(0, results.length - 1);
    results.forEach(function (r, i) {
      if (shortcuts && i === 0 && shortcuts.starred) list.appendChild(el("li", "hs-search__group", "收藏"));
      if (shortcuts && i === shortcuts.starred && shortcuts.recent) list.appendChild(el("li", "hs-search__group", "最近复制"));
      var item = el("li", "hs-result");
      item.setAttribute("role", "option");
      item.setAttribute("data-index", String(i));
      item.setAttribute("data-id", r.id);
      item.setAttribute("aria-selected", String(i === self.selected));
      var head = el("div", "hs-result__head");
      head.appendChild(el("span", "hs-result__kind hs-result__kind--" + r.kind, KIND_TITLES[r.kind] || r.kind));
      var title = highlighted("a", "hs-result__title", r.title, r.highlights.title);
      title.href = r.url;
      title.tabIndex = -1;
      head.appendChild(title);
      head.appendChild(el("span", "hs-result__category", r.category));
      if (r.kind !== "category") {
        var star = el("button", "hs-result__star", starred.indexOf(r.id) >= 0 ? "★" : "☆");
        star.type = "button";
        star.title = "收藏（Ctrl+S）";
        head.appendChild(star);
      }
      if (copyable(r)) {
        var copy = el("button", "hs-result__copy", "复制");
        copy.type = "button";
        copy.title = "复制（Ctrl+Enter）";
        head.appendChild(copy);
      }
      item.appendChild(head);
      if (r.text) {
        var text = highlighted("div", "hs-result__text", r.text, r.highlights.text);
        if (r.avoid) text.insertBefore(el("span", "hs-result__label", "建议说："), text.firstChild);
        item.appendChild(text);
      }
      list.appendChild(item);
    });
    var query = this.query();
    if (!results.length) {
      list.appendChild(el("li", "hs-search__empty", query ? "没有找到“" + query + "”" : "输入关键词：汉字、拼音或首字母都可以。收藏和复制过的话术会显示在这里。"));
    }
    if (this.status) this.status.textContent = api.isComplete() ? "" : "正在载入全文索引……";
    if (this.more) {
      this.more.hidden = this.page || !query;
      this.more.href = this.searchPageUrl(query);
    }
    this.scrollToSelected();
  };

  SearchBox.prototype.searchPageUrl = function (query) {
    var base = this.root.getAttribute("data-search-page") || "search/";
    var url = new URL(base, window.location.href);
    url.searchParams.set("q", query);
    return url.href;
  };

  SearchBox.prototype.scrollToSelected = function () {
    var item = this.list.querySelector('[aria-selected="true"]');
    if (item && item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
  };

  SearchBox.prototype.move = function (delta) {
    if (!this.results.length) return;
    this.selected = (this.selected + delta + this.results.length) % this.results.length;
    var items = this.list.querySelectorAll(".hs-result");
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", String(i === this.selected));
    this.scrollToSelected();
  };

  SearchBox.prototype.current = function () {
    return this.results[this.selected] || null;
  };

  SearchBox.prototype.openResult = function (result) {
    if (result) window.location.href = result.url;
  };

  SearchBox.prototype.copy = function (result) {
    if (!result || !copyable(result)) return;
    var text = fillPlaceholders(result.text, this.salutation.value.trim());
    var item = this.list.querySelector('[data-id="' + CSS.escape(result.id) + '"]');
    var button = item && item.querySelector(".hs-result__copy");
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
    var item = this.list.querySelector('[data-id="' + CSS.escape(result.id) + '"] .hs-result__star');
    if (item) item.textContent = at >= 0 ? "☆" : "★";
  };

  SearchBox.prototype.onKey = function (e) {
    var ctrl = e.ctrlKey || e.metaKey;
    if (e.key === "ArrowDown") { e.preventDefault(); this.move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); this.move(-1); }
    else if (e.key === "Enter" && ctrl) { e.preventDefault(); this.copy(this.current()); }
    else if (e.key === "Enter") { e.preventDefault(); this.openResult(this.current()); }
    else if (ctrl && (e.key === "c" || e.key === "C") && this.input.selectionStart === this.input.selectionEnd) {
      e.preventDefault();
      this.copy(this.current());
    } else if (ctrl && (e.key === "s" || e.key === "S")) { e.preventDefault(); this.toggleStar(this.current()); }
    else if (e.altKey && e.key >= "1" && e.key <= "4") {
      e.preventDefault();
      this.setKind(["", "phrase", "procedure", "faq"][Number(e.key) - 1]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (this.input.value) { this.input.value = ""; this.update(); }
      else { this.close(); this.input.blur(); }
    }
  };

  SearchBox.prototype.onClick = function (e) {
    var item = e.target.closest(".hs-result");
    if (!item) return;
    var result = this.results[Number(item.getAttribute("data-index"))];
    if (e.target.closest(".hs-result__copy")) { e.preventDefault(); this.copy(result); return; }
    if (e.target.closest(".hs-result__star")) { e.preventDefault(); this.toggleStar(result); return; }
    if (!e.target.closest("a")) this.openResult(result);
  };

  // --- wiring -----------------------------------------------------------------------

  function typingElsewhere(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  api.ready.then(function () {
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
    if (main.page) {
      var q = new URL(window.location.href).searchParams.get("q");
      if (q) main.input.value = q;
      main.open();
      main.input.focus();
    }
    document.documentElement.setAttribute("data-hs-search-ready", "");
  });
})();
