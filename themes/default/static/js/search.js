// Site search that runs in the reader's browser, against the index the
// build writes to /search/index.json (see lanmu's generator/search package
// for its format). The query is split into tokens by exactly the rules the
// build used on the pages, so the two must change together; a test runs
// both over the same strings. Results are built with DOM nodes and
// textContent only: index text is never parsed as HTML.
(function () {
  "use strict";

  var CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]$/u;
  var WORD = /^[\p{L}\p{N}]$/u;
  var MARK = /^\p{M}$/u;
  var MAX_RESULTS = 20;
  var SNIPPET_BEFORE = 30; // UTF-16 units of context before the first match
  var SNIPPET_LENGTH = 120;

  // fold gives the characters one character stands for in a token: its
  // NFKC form, each character lower-cased on its own. toLowerCase on a
  // single character applies no context rules (a lone Σ gives σ), and the
  // only character whose lower case is two characters, İ, keeps the first
  // (i), which is Unicode's simple mapping, as in Go.
  var folded = new Map();
  function fold(ch) {
    if (ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
    var f = folded.get(ch);
    if (f === undefined) {
      f = "";
      for (var c of ch.normalize("NFKC")) {
        f += String.fromCodePoint(c.toLowerCase().codePointAt(0));
      }
      folded.set(ch, f);
    }
    return f;
  }

  // scan calls emit(token, start, end) for each token of text, with the
  // UTF-16 offsets of the characters it came from in the NFC form of text,
  // which it returns.
  function scan(text, emit) {
    var s = text.normalize("NFC");
    var word = "", wordStart = 0, wordEnd = 0;
    var prev = "", prevStart = 0, prevEnd = 0, cjkLen = 0;
    function flush() {
      if (word) {
        emit(word, wordStart, wordEnd);
        word = "";
      }
      if (cjkLen === 1) emit(prev, prevStart, prevEnd);
      cjkLen = 0;
    }
    var i = 0;
    for (var ch of s) {
      var start = i, end = i + ch.length;
      i = end;
      for (var c of fold(ch)) {
        if (CJK.test(c)) {
          if (word) {
            emit(word, wordStart, wordEnd);
            word = "";
          }
          if (cjkLen > 0) emit(prev + c, prevStart, end);
          prev = c;
          prevStart = start;
          prevEnd = end;
          cjkLen++;
        } else if (WORD.test(c)) {
          if (cjkLen > 0) flush();
          if (!word) wordStart = start;
          word += c;
          wordEnd = end;
        } else if (MARK.test(c) && (word || cjkLen > 0)) {
          // A mark belongs to the character before it; after a CJK
          // character it is not part of the token.
          if (word) {
            word += c;
            wordEnd = end;
          } else {
            prevEnd = end;
          }
        } else {
          flush();
        }
      }
    }
    flush();
    return s;
  }

  function tokenize(text) {
    var out = [];
    scan(text, function (t) { out.push(t); });
    return out;
  }

  // A lone CJK character in a query is a token the index rarely holds on
  // its own (text gives pairs), so it matches every pair it is part of.
  function isLoneCJK(token) {
    var cps = Array.from(token);
    return cps.length === 1 && CJK.test(cps[0]);
  }

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charCodeAt(d)] = d;

  // decode calls fn(doc, weight) for each posting of a token.
  function decode(postings, fn) {
    var doc = -1, v = 0, scale = 1;
    for (var k = 0; k < postings.length; k++) {
      var digit = VALUE[postings.charCodeAt(k)];
      v += (digit & 31) * scale;
      if (digit >= 32) {
        scale *= 32;
        continue;
      }
      doc += Math.floor(v / 8);
      fn(doc, v % 8);
      v = 0;
      scale = 1;
    }
  }

  var own = Object.prototype.hasOwnProperty;

  // search returns the query's tokens and the matching docs, best first.
  // A result holds every token of the query if any page does, else as many
  // as the best page holds. Among those, pages with more query tokens in
  // the title come first, then the higher score: the sum over tokens of
  // the weight in the page (body count up to 3, plus 4 in the title) times
  // the token's rarity; then the index's order (newest first).
  function search(index, query) {
    var tokens = Array.from(new Set(tokenize(query)));
    var hits = new Map();
    var n = index.docs.length;
    tokens.forEach(function (t) {
      var lists = [];
      if (own.call(index.tokens, t)) lists.push(index.tokens[t]);
      if (isLoneCJK(t)) {
        for (var key in index.tokens) {
          if (key !== t && key.indexOf(t) >= 0) lists.push(index.tokens[key]);
        }
      }
      var best = new Map();
      lists.forEach(function (list) {
        decode(list, function (doc, w) {
          if (!(best.get(doc) >= w)) best.set(doc, w);
        });
      });
      var rarity = Math.log(1 + n / Math.max(best.size, 1));
      best.forEach(function (w, doc) {
        var h = hits.get(doc);
        if (!h) {
          h = { doc: doc, matched: 0, title: 0, score: 0 };
          hits.set(doc, h);
        }
        h.matched++;
        if (w & 4) h.title++;
        h.score += w * rarity;
      });
    });
    var most = 0;
    hits.forEach(function (h) { most = Math.max(most, h.matched); });
    var results = [];
    hits.forEach(function (h) { if (h.matched === most) results.push(h); });
    results.sort(function (a, b) {
      return b.title - a.title || b.score - a.score || a.doc - b.doc;
    });
    return { tokens: tokens, results: results };
  }

  // highlights returns the NFC form of text and the merged [start, end)
  // ranges of it that match the query's tokens.
  function highlights(text, tokens) {
    var wanted = new Set(tokens);
    var lone = tokens.filter(isLoneCJK);
    var ranges = [];
    var s = scan(text, function (t, a, b) {
      if (wanted.has(t)) ranges.push([a, b]);
    });
    if (lone.length) {
      var i = 0;
      for (var ch of s) {
        var f = fold(ch);
        if (lone.some(function (c) { return f.indexOf(c) >= 0; })) ranges.push([i, i + ch.length]);
        i += ch.length;
      }
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return { text: s, ranges: merged };
  }

  // appendMarked appends text[from:to] to el, with the ranges in <mark>.
  function appendMarked(el, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (a >= b) return;
      if (a > at) el.appendChild(document.createTextNode(text.slice(at, a)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(a, b);
      el.appendChild(mark);
      at = b;
    });
    if (at < to) el.appendChild(document.createTextNode(text.slice(at, to)));
  }

  // Offsets are moved off the second half of a surrogate pair, so that a
  // window never splits a character.
  function boundary(text, i) {
    var c = text.charCodeAt(i);
    return c >= 0xDC00 && c <= 0xDFFF ? i - 1 : i;
  }

  function renderResult(index, hit, tokens) {
    var doc = index.docs[hit.doc];
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result__title";
    var a = document.createElement("a");
    a.href = doc[0];
    var title = highlights(doc[1], tokens);
    appendMarked(a, title.text, title.ranges, 0, title.text.length);
    h.appendChild(a);
    li.appendChild(h);
    var meta = [index.kinds[doc[2]], doc[3]].filter(Boolean).join(" · ");
    if (meta) {
      var m = document.createElement("p");
      m.className = "search-result__meta";
      m.textContent = meta;
      li.appendChild(m);
    }
    var body = highlights(doc[4], tokens);
    if (body.text) {
      var t = body.text;
      var from = body.ranges.length ? boundary(t, Math.max(0, body.ranges[0][0] - SNIPPET_BEFORE)) : 0;
      var to = from + SNIPPET_LENGTH >= t.length ? t.length : boundary(t, from + SNIPPET_LENGTH);
      var p = document.createElement("p");
      p.className = "search-result__snippet";
      if (from > 0) p.appendChild(document.createTextNode("…"));
      appendMarked(p, t, body.ranges, from, to);
      if (to < t.length) p.appendChild(document.createTextNode("…"));
      li.appendChild(p);
    }
    return li;
  }

  // format fills the %d and %s of a message in order.
  function format(msg) {
    var args = Array.prototype.slice.call(arguments, 1);
    return msg.replace(/%[ds]/g, function () { return String(args.shift()); });
  }

  function show(root, index, query) {
    var status = root.querySelector("[data-search-status]");
    var list = root.querySelector("[data-search-results]");
    list.textContent = "";
    var found = search(index, query);
    var total = found.results.length;
    if (total === 0) {
      status.textContent = format(root.dataset.msgNone, query.trim());
      return;
    }
    var shown = found.results.slice(0, MAX_RESULTS);
    status.textContent = total > shown.length
      ? format(root.dataset.msgCountTop, total, shown.length)
      : format(root.dataset.msgCount, total);
    shown.forEach(function (hit) {
      list.appendChild(renderResult(index, hit, found.tokens));
    });
  }

  function start(root) {
    var nojs = root.querySelector("[data-search-nojs]");
    if (nojs) nojs.hidden = true;
    var form = root.querySelector("form");
    var input = form.querySelector("[name=q]");
    var status = root.querySelector("[data-search-status]");
    var loading = null;
    function load() {
      if (!loading) {
        loading = fetch(root.dataset.searchIndex).then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + r.statusText);
          return r.json();
        }).then(function (index) {
          if (index.v !== 1) throw new Error("search index version " + index.v);
          return index;
        });
      }
      return loading;
    }
    function run(query) {
      input.value = query;
      root.querySelector("[data-search-results]").textContent = "";
      if (!query.trim()) {
        status.textContent = "";
        return;
      }
      status.textContent = root.dataset.msgLoading;
      load().then(function (index) {
        show(root, index, query);
      }, function (err) {
        loading = null;
        status.textContent = root.dataset.msgError;
        console.error("lanmu search:", err);
      });
    }
    // Searching again on this page keeps the loaded index; the address
    // still changes, so the back button and a shared link work.
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.pushState(null, "", url);
      run(input.value);
    });
    window.addEventListener("popstate", function () {
      run(new URLSearchParams(location.search).get("q") || "");
    });
    run(new URLSearchParams(location.search).get("q") || "");
  }

  window.lanmuSearch = { tokenize: tokenize, search: search, highlights: highlights };
  var root = document.querySelector("[data-search-index]");
  if (root) start(root);
})();
