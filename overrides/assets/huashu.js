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

  window.huashu = window.huashu || {};
  window.huashu.copyText = copyText;
})();
