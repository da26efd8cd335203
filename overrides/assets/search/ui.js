// huashu search box: keyboard-first search in the header (and on /search/).
// Uses only the public search API (window.huashu, from loader.js), like any embedder would.
(function () {
  "use strict";
  var api;
  var STARRED = "huashu.starred", RECENT = "huashu.recent", SALUTATION = "称呼";
  var CHANNEL = "huashu.channel";
  // Ids kept in each stored list: the empty box shows them all as rows, so however the
  // stored value came to be (another tab, an old version, a hand edit), no more are read.
  var MAX_ITEMS = {};
  MAX_ITEMS[STARRED] = 50;
  MAX_ITEMS[RECENT] = 10;
  // A stored value longer than this was not written here (50 ids take ~2 KB): not parsed,
  // since it is read on every keystroke.
  var MAX_STORED_CHARS = 1000000;
  // A query unchanged this long is one the agent has settled on (see settle).
  var SETTLE_MS = 2000;
  // `selected` for a fresh list: its first result (below a "did you mean" line, if any).
  var FIRST = -1;

  // --- storage (localStorage may be unavailable, e.g. disabled by policy) -------

  // A stored list of ids as read: strings only, each once, at most MAX_ITEMS[key].
  function readList(key) {
    var raw, value;
    try { raw = window.localStorage.getItem(key) || "[]"; } catch (e) { return []; }
    if (raw.length > MAX_STORED_CHARS) return [];
    try { value = JSON.parse(raw); } catch (e) { return []; }
    return Array.isArray(value) ? distinctIds(value, MAX_ITEMS[key]) : [];
  }
  function writeList(key, list) {
    var kept = distinctIds(list, MAX_ITEMS[key]);
    try { window.localStorage.setItem(key, JSON.stringify(kept)); } catch (e) { /* private mode */ }
  }
  function distinctIds(list, max) {
    var out = [], seen = Object.create(null);
    for (var i = 0; i < list.length && out.length < max; i++) {
      var id = list[i];
      if (typeof id === "string" && !(id in seen)) { seen[id] = true; out.push(id); }
    }
    return out;
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

  // --- what copying takes ------------------------------------------------------------
  // Only result.copy: the words said to the customer, never the guidance a row may show
  // (result.text). Its {占位符} are filled first (huashu.fillPlaceholders, huashu.js): 称呼
  // from the panel's field, the others from inputs in the selected row, else the
  // library's defaults; one with no value at all refuses the copy.

  function copyable(result) {
    return !!(result && result.copy);
  }

  // Why a row has nothing to copy: a short note in its place.
  function whyNoCopy(result) {
    if (result.kind === "category") return "分类页";
    if (!api.hasBody(result.id)) {
      return api.bodyError ? "全文未载入，不能在这里复制：请打开条目页复制" : "全文载入中……";
    }
    return "这条是给坐席的处理办法，没有可以直接对客户说的话";
  }

  // Placeholders the selected row asks for: all but 称呼, which has the panel's own field.
  function fieldNames(text) {
    return api.placeholderNames(text).filter(function (name) { return name !== SALUTATION; });
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
    this.newCallButton = root.querySelector(".hs-search__newcall");
    this.bodyError = root.querySelector(".hs-search__bodyerror");
    this.message = root.querySelector(".hs-search__message");
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
    this.salutation.value = api.callValues()[SALUTATION] || "";
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
      api.setCallValue(SALUTATION, self.salutation.value);
    });
    this.salutation.addEventListener("keydown", function (e) {
      // Esc leaves the field as Enter does; the name stays until 新来电 (Alt+N).
      if (e.key === "Enter" || e.key === "Escape") { e.preventDefault(); self.input.focus(); }
    });
    this.newCallButton.addEventListener("click", function () { self.newCall(); });
    this.bodyError.querySelector("button").addEventListener("click", function () {
      api.retryBodies();
      self.input.focus();
    });
    // The placeholder inputs of the selected row: typing fills the preview as it goes.
    this.list.addEventListener("input", function (e) {
      var name = e.target.getAttribute && e.target.getAttribute("data-placeholder");
      if (name) api.setCallValue(name, e.target.value);
    });
    this.list.addEventListener("keydown", function (e) {
      if (e.target.getAttribute && e.target.getAttribute("data-placeholder")) self.onFieldKey(e);
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
    // (except on the controls that need the focus themselves: fields and the select).
    this.panel.addEventListener("mousedown", function (e) {
      if (!/^(INPUT|SELECT)$/.test(e.target.tagName)) e.preventDefault();
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
      if (byTimer && !api.error && !api.bodyError) this.settleLater();
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

  // `parts` ([[piece, name], ...] from huashu.fillPlaceholders) into `n`: what stood for
  // a placeholder marked, as its value or, when it has none, as {name} to be filled.
  function setParts(n, parts) {
    var key = "p\u0000" + JSON.stringify(parts);
    if (n.hsKey === key) return;
    n.hsKey = key;
    n.textContent = "";
    parts.forEach(function (p) {
      if (!p[1]) { n.appendChild(document.createTextNode(p[0])); return; }
      var mark = node("mark", p[0] === "{" + p[1] + "}" ? "hs-ph hs-ph--missing" : "hs-ph", n);
      mark.textContent = p[0];
      mark.title = "{" + p[1] + "}";
    });
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
    this.copy.title = "复制给客户的话（Ctrl+Enter）";
    this.text = node("div", "hs-result__text", this.li);
    this.label = node("span", "hs-result__label", this.text);
    this.body = node("span", "", this.text);
    // The selected row, when what it copies is not what it shows: the words copied, filled.
    this.preview = node("div", "hs-result__preview", this.li);
    node("span", "hs-result__label", this.preview).textContent = "复制：";
    this.previewBody = node("span", "", this.preview);
    // The selected row: an input for each placeholder but 称呼.
    this.fields = node("div", "hs-result__fields", this.li);
    this.fields.setAttribute("role", "group");
    this.fields.setAttribute("aria-label", "复制前填写");
    // No words for the customer: why there is no copy control.
    this.note = node("div", "hs-result__note", this.li);
    // Copying refused (a placeholder without a value): what to fill in.
    this.alert = node("div", "hs-result__alert", this.li);
    this.alert.setAttribute("role", "alert");
    this.alert.hidden = true;
    this.result = null;
  }

  // `partial`: the entry covers only part of the query; `channels`: their titles, "" for all.
  // `ctx`: {values} what the agent typed for placeholders (huashu.callValues()).
  Row.prototype.show = function (r, index, selected, starred, partial, channels, ctx) {
    if (this.result && this.result.id !== r.id) this.clearAlert();
    this.result = r;
    this.li.hidden = false;
    setAttr(this.li, "data-index", String(index));
    setAttr(this.li, "data-id", r.id);
    this.li.classList.toggle("hs-result--partial", partial);
    this.li.classList.toggle("hs-result--avoid", !!r.avoid);
    this.li.classList.toggle("hs-result--nocopy", !copyable(r));
    this.partial.hidden = !partial;
    this.channels.hidden = !channels;
    setText(this.channels, channels);
    // A forbidden phrase: its own badge, its wording (the title) struck through and the
    // words to say instead first, in symbols and words as well as colour.
    setAttr(this.kind, "class", "hs-result__kind hs-result__kind--" + (r.avoid ? "avoid" : r.kind));
    setText(this.kind, r.avoid ? "✗ 忌语" : api.kindTitles[r.kind] || r.kind);
    setAttr(this.title, "title", (r.avoid ? "忌语，不要说：" : "") + r.title + (r.category && r.kind !== "category" ? "（" + r.category + "）" : ""));
    setMarked(this.title, r.title, r.highlights.title);
    setAttr(this.title, "href", r.url);
    setText(this.category, r.category);
    this.star.hidden = r.kind === "category";
    setText(this.star, starred ? "★" : "☆");
    this.copy.hidden = !copyable(r);
    setText(this.copy, "复制");
    this.copy.classList.remove("hs-copied");
    this.note.hidden = copyable(r);
    if (!copyable(r)) setText(this.note, whyNoCopy(r));
    setText(this.label, r.avoid ? "✓ 改说：" : "");
    this.decorate(selected, ctx);
  };

  // What depends on the selection: the filled words and the placeholder inputs.
  Row.prototype.decorate = function (selected, ctx) {
    var r = this.result;
    setAttr(this.li, "aria-selected", String(selected));
    var filled = selected && copyable(r) ? api.fillPlaceholders(r.copy, ctx.values) : null;
    var inPlace = !!filled && r.copy === r.text && filled.parts.some(function (p) { return p[1]; });
    if (inPlace) setParts(this.body, filled.parts);
    else {
      var shown = snippet(r.text, r.highlights.text);
      setMarked(this.body, shown[0], shown[1]);
    }
    this.text.hidden = !r.text;
    this.preview.hidden = !filled || r.copy === r.text;
    if (!this.preview.hidden) setParts(this.previewBody, filled.parts);
    this.setFields(filled ? fieldNames(r.copy) : [], ctx.values);
    // A refusal stays only as long as something is still missing.
    if (!this.alert.hidden) {
      if (filled && filled.missing.length) this.showAlert(api.missingMessage(filled.missing));
      else if (filled || !selected) this.clearAlert();
    }
  };

  Row.prototype.setFields = function (names, values) {
    var key = names.join("\u0000");
    if (this.fields.hsKey !== key) {
      this.fields.hsKey = key;
      this.fields.textContent = "";
      var defaults = api.placeholderDefaults();
      names.forEach(function (name) {
        var label = node("label", "hs-result__field", this.fields);
        node("span", "hs-result__field-name", label).textContent = name;
        var input = node("input", "", label);
        input.type = "text";
        input.autocomplete = "off";
        input.spellcheck = false;
        input.setAttribute("data-placeholder", name);
        input.placeholder = defaults[name] === "" ? "可不填" : defaults[name] || "必填";
        input.title = defaults[name] ? "空着就用“" + defaults[name] + "”" : "必须填写才能复制";
      }, this);
    }
    this.fields.hidden = !names.length;
    var inputs = this.inputs();
    for (var i = 0; i < inputs.length; i++) {
      var value = values[inputs[i].getAttribute("data-placeholder")] || "";
      if (document.activeElement !== inputs[i] && inputs[i].value !== value) inputs[i].value = value;
    }
  };

  Row.prototype.inputs = function () {
    return Array.prototype.slice.call(this.fields.querySelectorAll("input[data-placeholder]"));
  };

  Row.prototype.showAlert = function (message) {
    setText(this.alert, "⚠ " + message);
    this.alert.hidden = false;
  };

  Row.prototype.clearAlert = function () {
    this.alert.hidden = true;
    setText(this.alert, "");
    this.note.classList.remove("hs-result__note--flash");
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
    var firstPartial = -1, ctx = { values: api.callValues() };
    for (var i = 0; i < rows.length; i++) {
      if (i < results.length) {
        var r = results[i], partial = !!query && (nearest || r.match === "partial");
        if (partial && firstPartial < 0) firstPartial = i;
        rows[i].show(r, i, i + this.offset === this.selected, starred.indexOf(r.id) >= 0, partial, this.channelText(r.channels), ctx);
      } else {
        rows[i].li.hidden = true;
        rows[i].result = null;
      }
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
    this.showBodyState();
    if (this.more && !this.page) {
      this.more.hidden = !query;
      if (query) this.more.href = this.searchPageUrl(query);
    }
    // No scrollIntoView here: it forces a layout on every keystroke. A fresh
    // list starts at its top; only arrow keys move the view.
  };

  // Body shards: loading (a word in the hint), or failed (a message with 重试 above the
  // results; titles are still searched).
  SearchBox.prototype.showBodyState = function () {
    var failed = !!api.bodyError && !api.error;
    this.bodyError.hidden = !failed;
    if (failed) setText(this.bodyError.querySelector(".hs-search__bodyerror-text"), api.bodyError);
    var status = api.isComplete() || failed ? "" : "正在载入全文索引……";
    if (this.status && this.status.textContent !== status) this.status.textContent = status;
  };

  // A short message under the bar (新来电 and the like), gone after a while.
  SearchBox.prototype.say = function (text) {
    var message = this.message;
    setText(message, text);
    message.hidden = !text;
    clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(function () { message.hidden = true; }, 3000);
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
    this.refreshSelection();
    this.scrollToSelected();
  };

  // The selection, or the values typed, changed: the rows show it (filled words, inputs).
  SearchBox.prototype.refreshSelection = function () {
    if (!this.rows) return;
    if (this.suggest) setAttr(this.suggest, "aria-selected", String(this.suggestionSelected()));
    var ctx = { values: api.callValues() };
    for (var i = 0; i < this.results.length; i++) {
      if (this.rows[i].result) this.rows[i].decorate(i + this.offset === this.selected, ctx);
    }
  };

  SearchBox.prototype.selectedRow = function () {
    var row = this.rows && this.rows[this.selected - this.offset];
    return row && row.result && !row.li.hidden ? row : null;
  };

  // 新来电: the values typed for the last caller go (称呼 and the others; 工号 stays).
  SearchBox.prototype.newCall = function () {
    api.newCall(); // every box hears huashu:newcall
    this.say("新来电：已清空称呼和上一位客户的填写内容");
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

  // Copy the words of `result` to say to the customer, filled; or say why not.
  SearchBox.prototype.copy = function (result) {
    if (!result) return;
    var index = this.results.indexOf(result), row = this.rows[index];
    if (!copyable(result)) {
      // Nothing to say to a customer: the note says so, louder.
      if (row) {
        row.note.classList.remove("hs-result__note--flash");
        void row.note.offsetWidth; // restart the highlight
        row.note.classList.add("hs-result__note--flash");
      }
      return;
    }
    var filled = api.fillPlaceholders(result.copy);
    if (filled.missing.length) {
      // Never a raw {…} to the customer: ask for the value, where it is typed.
      if (index >= 0 && this.selected !== index + this.offset) {
        this.selected = index + this.offset;
        this.refreshSelection();
      }
      if (row) row.showAlert(api.missingMessage(filled.missing));
      var name = filled.missing[0], input = row && row.inputs().filter(function (i) {
        return i.getAttribute("data-placeholder") === name;
      })[0];
      if (name === SALUTATION) this.salutation.focus();
      else if (input) input.focus();
      return;
    }
    if (row) row.clearAlert();
    this.settle();
    var button = row && row.copy;
    window.huashu.copyText(filled.text).then(function () {
      var recent = readList(RECENT).filter(function (id) { return id !== result.id; });
      recent.unshift(result.id);
      writeList(RECENT, recent);
      if (button) { button.textContent = "已复制"; button.classList.add("hs-copied"); }
    }, function () {
      if (button) button.textContent = "复制失败";
    });
  };

  SearchBox.prototype.toggleStar = function (result) {
    if (!result || result.kind === "category") return;
    var starred = readList(STARRED), at = starred.indexOf(result.id);
    var row = this.rows[this.results.indexOf(result)];
    if (at < 0 && starred.length >= MAX_ITEMS[STARRED]) {
      // Never by dropping the oldest star unseen: the agent chooses which one goes.
      if (row) row.showAlert("收藏已满 " + MAX_ITEMS[STARRED] + " 条：请先取消一条不常用的收藏（Ctrl+S）");
      return;
    }
    if (at >= 0) starred.splice(at, 1); else starred.unshift(result.id);
    writeList(STARRED, starred);
    if (row) row.star.textContent = at >= 0 ? "☆" : "★";
  };

  SearchBox.prototype.onKey = function (e) {
    var ctrl = e.ctrlKey || e.metaKey, row = this.selectedRow();
    if (e.key === "Tab" && !e.shiftKey && row && row.inputs().length) { e.preventDefault(); row.inputs()[0].focus(); }
    else if (e.key === "ArrowDown") { e.preventDefault(); this.move(1); }
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

  // Keys in the placeholder inputs of the selected row: Tab between them (and back to the
  // box), Enter copies, Esc or the arrows go back to the box.
  SearchBox.prototype.onFieldKey = function (e) {
    var row = this.selectedRow(), inputs = row ? row.inputs() : [], at = inputs.indexOf(e.target);
    if (e.key === "Tab") {
      e.preventDefault();
      var next = at + (e.shiftKey ? -1 : 1);
      if (next >= 0 && next < inputs.length) inputs[next].focus();
      else this.input.focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      this.copy(this.current());
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.input.focus();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.input.focus();
      this.move(e.key === "ArrowDown" ? 1 : -1);
    }
  };

  SearchBox.prototype.onClick = function (e) {
    if (this.suggestion && e.target.closest(".hs-search__suggest")) { this.searchFor(this.suggestion); return; }
    var item = e.target.closest(".hs-result");
    if (!item || e.target.closest(".hs-result__fields, .hs-result__alert")) return;
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
    // 新来电, from anywhere (also while typing in a field): Alt+N.
    document.addEventListener("keydown", function (e) {
      if (!e.altKey || e.ctrlKey || e.metaKey || (e.code !== "KeyN" && e.key !== "n" && e.key !== "N")) return;
      e.preventDefault();
      main.open();
      main.newCall();
      main.salutation.focus();
    });
    document.addEventListener("huashu:newcall", function () {
      boxes.forEach(function (b) { b.salutation.value = ""; });
    });
    // A value typed anywhere (a box, a page's copy button): every box shows it.
    document.addEventListener("huashu:values", function () {
      var salutation = api.callValues()[SALUTATION] || "";
      boxes.forEach(function (b) {
        if (document.activeElement !== b.salutation && b.salutation.value.trim() !== salutation.trim()) b.salutation.value = salutation;
        b.refreshSelection();
      });
    });
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
