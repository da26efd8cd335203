// huashu: copy buttons. One delegated listener, so it also works after
// Material's instant navigation swaps the page content.
(function () {
  "use strict";

  function copyWithSelection(text) {
    // Fallback for pages served over plain http on an intranet or opened from
    // disk, where navigator.clipboard is not available (not a secure context).
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
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); });
    }
    return copyWithSelection(text);
  }

  function flash(button, label, cls) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = label;
    button.classList.add(cls);
    setTimeout(function () {
      button.textContent = original;
      button.classList.remove(cls);
    }, 1200);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.hs-copy");
    if (!button) return;
    copyText(button.getAttribute("data-copy-text")).then(
      function () { flash(button, "已复制", "hs-copied"); },
      function () { flash(button, "复制失败", "hs-copy-failed"); }
    );
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

  window.huashu = window.huashu || {};
  window.huashu.copyText = copyText;
  window.huashu.pageUrl = pageUrl;
})();
