// lanmu live preview. `lanmu serve` adds this script to every page it
// serves, and never to a built site. It keeps the page in step with the
// editor's files: a reload after a change, stylesheets swapped in place when
// only CSS changed, and the build errors shown over the page.
(function () {
  "use strict";
  var me = document.currentScript || document.querySelector("script[data-lanmu-version]");
  if (!me || window.__lanmuLive) return;
  window.__lanmuLive = true;
  // The base path, still percent-encoded, taken from our own address so
  // the script needs no configuration.
  var base = new URL(me.src, location.href).pathname.replace(/__lanmu\/live\.js$/, "");
  var version = Number(me.getAttribute("data-lanmu-version") || NaN);
  var server = me.getAttribute("data-lanmu-server");
  var source, wait = 1000, errorsAsked = 0;

  // The site path ("/css/a.css") of a same-origin URL under the base.
  function sitePath(href) {
    var u = new URL(href, location.href);
    if (u.origin !== location.origin || u.pathname.indexOf(base) !== 0) return null;
    var p = "/" + u.pathname.slice(base.length);
    try { return decodeURI(p); } catch (e) { return p; }
  }

  function swapCSS(paths, v) {
    document.querySelectorAll('link[rel~="stylesheet"]:not([data-lanmu-old])').forEach(function (old) {
      if (paths.indexOf(sitePath(old.href)) < 0) return;
      var fresh = old.cloneNode(false);
      var u = new URL(old.href, location.href);
      u.searchParams.set("v", v);
      fresh.removeAttribute("integrity"); // the new file has a new hash
      fresh.href = u.href;
      old.setAttribute("data-lanmu-old", "");
      // The old sheet stays until the new one has loaded, so nothing flashes.
      fresh.addEventListener("load", function () { old.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); old.removeAttribute("data-lanmu-old"); });
      old.after(fresh);
    });
  }

  function overlay() { return document.getElementById("lanmu-overlay"); }

  function showErrors(count) {
    if (!count) { if (overlay()) overlay().remove(); return; }
    var asked = ++errorsAsked;
    fetch(base + "__lanmu/errors.html", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (text) {
        if (asked !== errorsAsked) return; // a newer answer is on its way
        var old = overlay();
        var t = document.createElement("template");
        t.innerHTML = text;
        var el = t.content.firstElementChild;
        if (!el) { if (old) old.remove(); return; }
        if (old) old.replaceWith(el); else document.body.appendChild(el);
        var close = el.querySelector("[data-lanmu-close]");
        if (close) close.focus();
      })
      .catch(function () {});
  }

  function hide() { var o = overlay(); if (o) o.hidden = true; }
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-lanmu-close]")) hide();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });

  function on(name, handle) {
    source.addEventListener(name, function (e) {
      var d;
      try { d = JSON.parse(e.data); } catch (x) { return; }
      handle(d);
    });
  }

  function connect() {
    // The page it shows goes along: after a template edit, serve renders
    // the pages browsers show before the rest.
    // So does the build it is from: builds it missed that changed only
    // stylesheets come as one css event rather than a reload.
    var from = isNaN(version) ? "" : "&v=" + version + "&s=" + encodeURIComponent(server || "");
    source = new EventSource(base + "__lanmu/events?page=" + encodeURIComponent(location.pathname) + from);
    // On every (re)connection the server says which build it has; a page
    // from another build, or from an earlier serve, is out of date.
    on("hello", function (d) {
      wait = 1000;
      // A tag without a version must not compare, or it would reload forever.
      if (!isNaN(version) && (d.version !== version || d.server !== server)) location.reload();
    });
    on("reload", function () { location.reload(); });
    on("css", function (d) { version = d.version; swapCSS(d.paths || [], d.version); showErrors(d.errors); });
    on("errors", function (d) { version = d.version; showErrors(d.errors); });
    source.onerror = function () {
      // The browser retries by itself after a dropped connection, but gives
      // up for good on some failures; then we start over, more slowly.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, wait);
        wait = Math.min(wait * 2, 10000);
      }
    };
  }
  connect();

  // A page restored from the back-forward cache may be older than the site.
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });
})();
