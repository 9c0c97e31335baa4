// The 复制到公众号 button of a wechat/ page: it puts the copy on the
// clipboard as text/html, which the 公众号 editor pastes with its styles,
// and as plain text beside it for anything else. Where the asynchronous
// clipboard cannot write HTML (an address served over plain http is not a
// secure context), it selects the copy and asks the browser to copy, and
// the copy event puts the same HTML on the clipboard; if even that is
// refused, the copy stays selected and the message asks for Ctrl+C. The
// syntax is what Chromium 86 reads.
(function () {
  var button = document.querySelector("[data-copy]");
  if (!button) {
    return;
  }
  var area = document.getElementById(button.getAttribute("data-copy"));
  var status = document.querySelector(".wechat__status");
  if (!area) {
    return;
  }
  button.hidden = false;

  function say(key, ok) {
    status.textContent = button.getAttribute(key);
    status.className = "wechat__status " + (ok ? "wechat__status--ok" : "wechat__status--failed");
  }

  function whole() {
    var range = document.createRange();
    range.selectNodeContents(area);
    return range;
  }

  // A copy of the whole article, by the button's fallback or by the
  // reader's own Ctrl+C, carries the copy's HTML as it is: the browser's
  // serialising of a selection adds the page's computed styles and its
  // wrappers, classes included.
  document.addEventListener("copy", function (ev) {
    var selection = window.getSelection();
    if (!selection.rangeCount || !ev.clipboardData) {
      return;
    }
    var got = selection.getRangeAt(0);
    var all = whole();
    if (got.compareBoundaryPoints(Range.START_TO_START, all) > 0 || got.compareBoundaryPoints(Range.END_TO_END, all) < 0) {
      return; // a part of it: the browser copies that as it does
    }
    ev.clipboardData.setData("text/html", area.innerHTML);
    ev.clipboardData.setData("text/plain", area.innerText);
    ev.preventDefault();
  });

  function copySelection() {
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(whole());
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    if (done) {
      selection.removeAllRanges();
      say("data-copied", true);
    } else {
      // Left selected, for the reader's own Ctrl+C.
      say("data-failed", false);
    }
  }

  button.addEventListener("click", function () {
    var html = area.innerHTML;
    if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.write || typeof ClipboardItem === "undefined") {
      copySelection();
      return;
    }
    var item = new ClipboardItem({
      "text/html": new Blob([html], { type: "text/html" }),
      "text/plain": new Blob([area.innerText], { type: "text/plain" })
    });
    navigator.clipboard.write([item]).then(function () {
      say("data-copied", true);
    }, copySelection);
  });
})();
