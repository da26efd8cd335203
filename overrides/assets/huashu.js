// huashu: copy buttons, and what fills the {占位符} of anything copied (page buttons and
// the search box alike). One delegated listener, so it also works after Material's
// instant navigation swaps the page content.
(function () {
  "use strict";

  var huashu = window.huashu = window.huashu || {};

  function copyWithSelection(text) {
    // Fallback for pages served over plain http on an intranet or opened from
    // disk, where navigator.clipboard is not available (not a secure context).
    var active = document.activeElement;
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (active && active.focus && active !== document.body) active.focus();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); });
    }
    return copyWithSelection(text);
  }

  // --- placeholders ------------------------------------------------------------------
  // What a {占位符} becomes: the value the agent typed for this call (sessionStorage: the
  // caller changes with every call, 新来电 clears them), the agent's own values kept in
  // this browser (localStorage: 工号), else the library default (placeholders.yaml, in
  // the index head). With none of these, copying is refused: a raw {…} never reaches a
  // customer. Values are always literal text, never replacement patterns.

  var PLACEHOLDER = /\{([^{}\s]+)\}/g; // huashu.model.PLACEHOLDER_PATTERN
  var CALL = "huashu.call", AGENT = "huashu.agent";
  // The agent's own, not the caller's: kept across calls and visits.
  var AGENT_NAMES = { "工号": true };

  // Where values live when the browser refuses storage (a policy, private mode): this page only.
  var memory = {};

  function readObject(storage, key) {
    try {
      var value = JSON.parse(window[storage].getItem(key) || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (e) { return memory[storage + key] || {}; } // storage disabled, or not JSON
  }
  function writeObject(storage, key, value) {
    memory[storage + key] = value;
    try { window[storage].setItem(key, JSON.stringify(value)); } catch (e) { /* kept in memory */ }
  }

  function own(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined;
  }

  // The names of the placeholders in `text`, each once, in order.
  function placeholderNames(text) {
    var names = [];
    String(text || "").replace(PLACEHOLDER, function (whole, name) {
      if (names.indexOf(name) < 0) names.push(name);
      return whole;
    });
    return names;
  }

  // What the agent typed: {name: value}, per call and the agent's own together.
  function callValues() {
    var values = readObject("sessionStorage", CALL), agent = readObject("localStorage", AGENT), name;
    for (name in agent) if (AGENT_NAMES[name] && typeof agent[name] === "string") values[name] = agent[name];
    for (name in values) if (typeof values[name] !== "string") delete values[name];
    return values;
  }

  function setCallValue(name, value) {
    var agent = AGENT_NAMES[name], key = agent ? AGENT : CALL, storage = agent ? "localStorage" : "sessionStorage";
    var values = readObject(storage, key);
    value = String(value || "");
    if (value.trim()) values[name] = value; else delete values[name];
    writeObject(storage, key, values);
    document.dispatchEvent(new CustomEvent("huashu:values", { detail: { name: name } }));
  }

  // A new caller: forget everything typed for the last one (the agent's 工号 stays).
  function newCall() {
    try {
      window.sessionStorage.removeItem(CALL);
      window.sessionStorage.removeItem("huashu.salutation"); // the earlier key of 称呼
    } catch (e) { /* storage disabled */ }
    document.dispatchEvent(new CustomEvent("huashu:newcall"));
    document.dispatchEvent(new CustomEvent("huashu:values", { detail: { name: "" } }));
  }

  function libraryDefaults() {
    return (huashu.placeholderDefaults && huashu.placeholderDefaults()) || {};
  }

  // `text` with its placeholders filled: {text, parts, missing}. `parts` is the filled
  // text in pieces, [piece, name] for what stood for {name} ("" for plain text), for
  // showing the values apart; `missing` the names that have no value and no default
  // (they stay as {name} in `text`, which must then not be copied). `values` and
  // `defaults` default to callValues() and the library's defaults.
  var OMITTED_WITH = "，、, ";

  function fillPlaceholders(text, values, defaults) {
    values = values || callValues();
    defaults = defaults || libraryDefaults();
    var missing = [], parts = [], at = 0, match;
    text = String(text || "");
    PLACEHOLDER.lastIndex = 0;
    while ((match = PLACEHOLDER.exec(text))) {
      var name = match[1], value = String(own(values, name) || "").trim();
      var fallback = own(defaults, name), omit = !value && fallback === "";
      if (!value) value = typeof fallback === "string" ? fallback : "";
      if (match.index > at) parts.push([text.slice(at, match.index), ""]);
      if (omit) {
        // Left out when not filled (placeholders.yaml omit): "{称呼}，您好" reads "您好".
        at = match.index + match[0].length;
        if (OMITTED_WITH.indexOf(text.charAt(at)) >= 0) at++;
        continue;
      }
      if (value) parts.push([value, name]);
      else {
        parts.push([match[0], name]);
        if (missing.indexOf(name) < 0) missing.push(name);
      }
      at = match.index + match[0].length;
    }
    if (at < text.length) parts.push([text.slice(at), ""]);
    // Joined, not String.replace with a string: "$&" in a value stays "$&".
    return { text: parts.map(function (p) { return p[0]; }).join(""), parts: parts, missing: missing };
  }

  function missingMessage(missing) {
    return "请先填写 " + missing.map(function (n) { return "{" + n + "}"; }).join("、");
  }

  // --- copy buttons on the pages -------------------------------------------------------

  function flash(button, label, cls, ms) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = label;
    button.classList.remove("hs-copied", "hs-copy-failed");
    button.classList.add(cls);
    clearTimeout(button.hsFlash);
    button.hsFlash = setTimeout(function () {
      button.textContent = original;
      button.classList.remove(cls);
    }, ms || 1200);
  }

  // The defaults the page wrote beside a button (the library's, for its placeholders):
  // the page copies right even before the search index is in.
  function buttonDefaults(button) {
    var defaults = {}, own = {}, name;
    try { own = JSON.parse(button.getAttribute("data-copy-defaults") || "{}") || {}; } catch (e) { own = {}; }
    var library = libraryDefaults();
    for (name in library) defaults[name] = library[name];
    for (name in own) if (typeof own[name] === "string") defaults[name] = own[name];
    return defaults;
  }

  // Inputs under a button whose placeholders lack a value: type, then Enter (or the
  // button again) copies. The values are the same as the search box's.
  function askFor(button, missing) {
    var block = button.closest(".hs-say") || button.parentNode;
    var form = block.nextElementSibling && block.nextElementSibling.classList.contains("hs-fill") ? block.nextElementSibling : null;
    if (!form) {
      form = document.createElement("div");
      form.className = "hs-fill";
      form.setAttribute("role", "group");
      form.setAttribute("aria-label", "复制前请填写");
      block.parentNode.insertBefore(form, block.nextSibling);
    }
    form.hsButton = button;
    var names = placeholderNames(button.getAttribute("data-copy-text")), values = callValues();
    form.textContent = "";
    var note = document.createElement("span");
    note.className = "hs-fill__note";
    note.textContent = missingMessage(missing) + "：";
    form.appendChild(note);
    names.filter(function (n) { return missing.indexOf(n) >= 0 || values[n]; }).forEach(function (name) {
      var label = document.createElement("label");
      label.className = "hs-fill__field";
      label.appendChild(document.createTextNode(name + " "));
      var input = document.createElement("input");
      input.type = "text";
      input.autocomplete = "off";
      input.setAttribute("data-placeholder", name);
      input.value = values[name] || "";
      label.appendChild(input);
      form.appendChild(label);
    });
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
    var first = inputs.filter(function (i) { return i.getAttribute("data-placeholder") === missing[0]; })[0] || inputs[0];
    if (first) first.focus();
  }

  function copyButton(button) {
    var text = button.getAttribute("data-copy-text");
    var filled = fillPlaceholders(text, null, buttonDefaults(button));
    if (filled.missing.length) {
      flash(button, missingMessage(filled.missing), "hs-copy-failed", 4000);
      askFor(button, filled.missing);
      return;
    }
    copyText(filled.text).then(
      function () {
        flash(button, "已复制", "hs-copied");
        var block = button.closest(".hs-say"), form = block && block.nextElementSibling;
        if (form && form.classList.contains("hs-fill") && form.hsButton === button) form.parentNode.removeChild(form);
      },
      function () { flash(button, "复制失败", "hs-copy-failed"); }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.hs-copy");
    if (button) copyButton(button);
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.closest && input.closest(".hs-fill") && input.hasAttribute("data-placeholder")) {
      setCallValue(input.getAttribute("data-placeholder"), input.value);
    }
  });

  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest(".hs-fill");
    if (!form || event.target.tagName !== "INPUT") return;
    if (event.key === "Enter") { event.preventDefault(); copyButton(form.hsButton); form.hsButton.focus(); }
    else if (event.key === "Escape") { event.preventDefault(); form.hsButton.focus(); form.parentNode.removeChild(form); }
  });

  // 新来电: the inputs under buttons hold the last caller's values.
  document.addEventListener("huashu:newcall", function () {
    var forms = document.querySelectorAll(".hs-fill");
    for (var i = 0; i < forms.length; i++) forms[i].parentNode.removeChild(forms[i]);
  });

  // Opened from disk, a folder link shows a file listing instead of the page:
  // point folder links (use_directory_urls) at their index.html.
  function pageUrl(href) {
    if (window.location.protocol !== "file:") return href;
    var url = new URL(href, window.location.href);
    if (url.protocol === "file:" && url.pathname.slice(-1) === "/") url.pathname += "index.html";
    return url.href;
  }

  function fixLinksForDisk() {
    if (window.location.protocol !== "file:") return;
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (href && !/^[a-z]+:/i.test(href) && href.charAt(0) !== "#") links[i].href = pageUrl(href);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fixLinksForDisk);
  else fixLinksForDisk();

  huashu.copyText = copyText;
  huashu.pageUrl = pageUrl;
  huashu.placeholderNames = placeholderNames;
  huashu.fillPlaceholders = fillPlaceholders;
  huashu.missingMessage = missingMessage;
  huashu.callValues = callValues;
  huashu.setCallValue = setCallValue;
  huashu.newCall = newCall;
  huashu.AGENT_PLACEHOLDERS = AGENT_NAMES;
})();
