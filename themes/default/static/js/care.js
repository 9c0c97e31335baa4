// 关怀模式 (the elderly-friendly mode of GB/T 37668): larger type, stronger
// contrast, wider line spacing. Without JavaScript the link's #care target
// turns it on for the page at hand (see lanmu.css); this script keeps the
// choice from page to page. It runs in <head>, before the page is drawn,
// so that a page never shows first in the other mode; the syntax is what
// Chromium 86 reads.
(function () {
  var KEY = "lanmu-care";
  var root = document.documentElement;
  function remember(on) {
    try {
      if (on) {
        localStorage.setItem(KEY, "1");
      } else {
        localStorage.removeItem(KEY);
      }
    } catch (e) {
      // Storage may be off: the mode then lasts for this page.
    }
  }
  var on = false;
  try {
    on = localStorage.getItem(KEY) === "1";
  } catch (e) {}
  if (location.hash === "#care") {
    on = true;
    remember(true);
  }
  root.classList.toggle("care", on);
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("[data-care]") : null;
    if (!link) {
      return;
    }
    ev.preventDefault();
    var next = link.getAttribute("data-care") === "on";
    root.classList.toggle("care", next);
    remember(next);
    if (location.hash === "#care") {
      history.replaceState(null, "", location.pathname + location.search);
    }
  });
})();
