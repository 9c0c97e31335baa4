// Site search that runs in the reader's browser, against the index the
// build writes to /search/ (see lanmu's generator/search package for its
// format): a manifest, fetched fresh, then only the token shards of the
// query and the chunks of docs of the results shown, each cached for good
// under a name that holds its hash. The query is split into tokens by
// exactly the rules the build used on the pages, so the two must change
// together; a test runs both over the same strings. Results are built
// with DOM nodes and textContent only: index text is never parsed as HTML.
// The syntax stays within what Chromium 86 runs (360 browser, the older
// UOS and Kylin builds), and nothing needs Intl.Segmenter.
(function () {
  "use strict";

  var CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]$/u;
  var WORD = /^[\p{L}\p{N}]$/u;
  var MARK = /^[\p{M}]$/u;
  // Results are shown five at first, as each may need a chunk of docs of
  // its own, then ten at a time.
  var FIRST_PAGE = 5;
  var PAGE_SIZE = 10;
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

  // queryTokens are the distinct tokens of a query, in order.
  function queryTokens(query) {
    return Array.from(new Set(tokenize(query)));
  }

  // shardOf is the shard a token is in: FNV-1a over its code points, then
  // Murmur3's finaliser, as the build computes it.
  function shardOf(token, shards) {
    var h = 2166136261;
    for (var ch of token) {
      h = Math.imul(h ^ ch.codePointAt(0), 16777619);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) % shards;
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

  // rank returns the docs that match the tokens, best first, given each
  // token's postings (undefined for a token no page holds) and the number
  // of docs. A result holds every token of the query if any page does,
  // else as many as the best page holds. Among those, pages with more
  // query tokens in the title come first, then the higher score: the sum
  // over tokens of the weight in the page (body count up to 3, plus 4 in
  // the title) times the token's rarity; then the index's order (newest
  // first). A lone CJK character's postings in the index are already
  // those of every pair it is part of.
  function rank(tokens, lists, n) {
    var hits = new Map();
    tokens.forEach(function (t, i) {
      var best = new Map();
      if (lists[i] !== undefined) {
        decode(lists[i], function (doc, w) { best.set(doc, w); });
      }
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
    return results;
  }

  function fetchJSON(url, fresh) {
    return fetch(url, fresh ? { cache: "no-cache" } : {}).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status + " " + r.statusText);
      return r.json();
    });
  }

  // Index is an index whose manifest is loaded; it fetches the rest as
  // queries need it, each file once.
  function Index(url, manifest) {
    this.url = url;
    this.m = manifest;
    this.files = new Map();
    this.width = 1;
    for (var size = 64; size < manifest.groups.length; size *= 64) this.width++;
  }

  // file fetches one of the files the manifest names, once; a failed
  // fetch is tried again next time.
  Index.prototype.file = function (name) {
    var files = this.files;
    var p = files.get(name);
    if (!p) {
      p = fetchJSON(new URL(name, this.url).href, false);
      p.catch(function () { files.delete(name); });
      files.set(name, p);
    }
    return p;
  };

  // search resolves to the query's tokens and its results, best first.
  Index.prototype.search = function (query) {
    var self = this;
    var tokens = queryTokens(query);
    return Promise.all(tokens.map(function (t) {
      // A lone character's list, joined from every pair it is in, is in
      // a shard of its own kind.
      var shards = isLoneCJK(t) ? self.m.chars : self.m.tokens;
      return self.file(shards[shardOf(t, shards.length)]).then(function (shard) {
        return own.call(shard, t) ? shard[t] : undefined;
      });
    })).then(function (lists) {
      return { tokens: tokens, results: rank(tokens, lists, self.m.count) };
    });
  };

  // group is the number of a doc's (kind, section) group.
  Index.prototype.group = function (doc) {
    var g = 0, facets = this.m.facets;
    for (var k = this.width - 1; k >= 0; k--) g = g * 64 + VALUE[facets.charCodeAt(doc * this.width + k)];
    return g;
  };

  // docs resolves to the metadata of the given docs, in order, fetching
  // the chunks they are in.
  Index.prototype.docs = function (ids) {
    var self = this, per = self.m.perChunk;
    return Promise.all(ids.map(function (id) {
      return self.file(self.m.docs[Math.floor(id / per)]).then(function (chunk) {
        var d = chunk[id % per], g = self.m.groups[self.group(id)];
        return { url: d[0], title: d[1], date: d[2], text: d[3], kind: self.m.kinds[g[0]], section: self.m.sections[g[1]] };
      });
    }));
  };

  // open resolves to the index whose manifest is at url, fetched fresh.
  function open(url) {
    var abs = new URL(url, location.href).href;
    return fetchJSON(abs, true).then(function (m) {
      if (m.v !== 2) throw new Error("search index version " + m.v);
      return new Index(abs, m);
    });
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

  function renderResult(doc, tokens) {
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result__title";
    var a = document.createElement("a");
    a.href = doc.url;
    var title = highlights(doc.title, tokens);
    appendMarked(a, title.text, title.ranges, 0, title.text.length);
    h.appendChild(a);
    li.appendChild(h);
    var meta = [doc.kind, doc.section !== doc.kind ? doc.section : "", doc.date].filter(Boolean).join(" · ");
    if (meta) {
      var m = document.createElement("p");
      m.className = "search-result__meta";
      m.textContent = meta;
      li.appendChild(m);
    }
    var body = highlights(doc.text, tokens);
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

  // Page is the search page: its form, filters, status and results.
  function Page(root) {
    this.root = root;
    this.msg = root.dataset;
    this.form = root.querySelector("form");
    this.input = this.form.querySelector("[name=q]");
    this.status = root.querySelector("[data-search-status]");
    this.list = root.querySelector("[data-search-results]");
    this.filters = root.querySelector("[data-search-filters]");
    this.moreWrap = root.querySelector("[data-search-more-wrap]");
    this.more = root.querySelector("[data-search-more]");
    this.index = null; // a promise of the Index
    this.seq = 0; // the latest query's number: older answers are dropped
    this.found = null; // the latest query's results
    this.filter = { kind: null, section: null };
    this.shown = 0;
  }

  Page.prototype.load = function () {
    var self = this;
    if (!self.index) {
      self.index = open(self.msg.searchIndex);
      self.index.catch(function () { self.index = null; });
    }
    return self.index;
  };

  Page.prototype.setState = function (state, query) {
    this.root.dataset.searchState = state;
    this.root.dataset.searchQuery = query;
  };

  // run searches for query and shows the first page of results.
  Page.prototype.run = function (query) {
    var self = this, seq = ++self.seq;
    self.list.textContent = "";
    self.filters.textContent = "";
    self.moreWrap.hidden = true;
    self.found = null;
    if (!query.trim()) {
      self.status.textContent = "";
      self.setState("done", query);
      return Promise.resolve();
    }
    self.status.textContent = self.msg.msgLoading;
    self.setState("loading", query);
    return self.load().then(function (index) {
      return index.search(query).then(function (found) {
        if (seq !== self.seq) return;
        found.index = index;
        found.query = query;
        self.found = found;
        return self.show(seq);
      });
    }).catch(function (err) {
      if (seq !== self.seq) return;
      self.status.textContent = self.msg.msgError;
      self.setState("error", query);
      console.error("lanmu search:", err);
    });
  };

  // matching are the results that pass the filters.
  Page.prototype.matching = function () {
    var f = this.filter, index = this.found.index;
    if (f.kind === null && f.section === null) return this.found.results;
    return this.found.results.filter(function (h) {
      var g = index.m.groups[index.group(h.doc)];
      return (f.kind === null || g[0] === f.kind) && (f.section === null || g[1] === f.section);
    });
  };

  // show lists the first page of the filtered results, with the filters
  // and their counts.
  Page.prototype.show = function (seq) {
    var found = this.found;
    this.list.textContent = "";
    this.shown = 0;
    this.renderFilters();
    var results = this.matching();
    this.status.dataset.searchTotal = results.length;
    if (found.results.length === 0) {
      this.status.textContent = format(this.msg.msgNone, found.query.trim());
      this.moreWrap.hidden = true;
      this.setState("done", found.query);
      return Promise.resolve();
    }
    this.status.textContent = format(this.msg.msgCount, results.length);
    return this.showMore(seq);
  };

  // showMore appends the next page of results, once their docs are in.
  Page.prototype.showMore = function (seq) {
    var self = this, found = self.found, results = self.matching();
    var page = results.slice(self.shown, self.shown + (self.shown === 0 ? FIRST_PAGE : PAGE_SIZE));
    self.setState("loading", found.query);
    return found.index.docs(page.map(function (h) { return h.doc; })).then(function (docs) {
      if (seq !== self.seq) return;
      docs.forEach(function (doc) { self.list.appendChild(renderResult(doc, found.tokens)); });
      self.shown += docs.length;
      var left = results.length - self.shown;
      self.moreWrap.hidden = left <= 0;
      self.more.textContent = format(self.msg.msgMore, Math.min(left, PAGE_SIZE));
      self.setState("done", found.query);
    });
  };

  // renderFilters shows, for the results, a filter by kind and, where
  // sections do not follow kinds, one by section, each choice with its
  // count; a filter with one choice is left out.
  Page.prototype.renderFilters = function () {
    var self = this, index = self.found.index, m = index.m;
    self.filters.textContent = "";
    var kinds = new Map(), sections = new Map(), pairs = new Set();
    var f = self.filter;
    self.found.results.forEach(function (h) {
      var g = m.groups[index.group(h.doc)];
      pairs.add(g[0] + " " + g[1]);
      // A choice's count is of the results the other filter lets through.
      if (f.section === null || g[1] === f.section) kinds.set(g[0], (kinds.get(g[0]) || 0) + 1);
      if (f.kind === null || g[0] === f.kind) sections.set(g[1], (sections.get(g[1]) || 0) + 1);
    });
    var total = self.found.results.length;
    self.addFilter("kind", self.msg.msgFilterKind, m.kinds, kinds, total);
    var kindsOfSections = new Set(), sectionsOfKinds = new Set();
    pairs.forEach(function (p) {
      var k = p.split(" ");
      kindsOfSections.add(k[0]);
      sectionsOfKinds.add(k[1]);
    });
    if (pairs.size !== kindsOfSections.size || pairs.size !== sectionsOfKinds.size) {
      self.addFilter("section", self.msg.msgFilterSection, m.sections, sections, total);
    }
  };

  Page.prototype.addFilter = function (name, label, labels, counts, total) {
    var self = this;
    var chosen = self.filter[name];
    if (counts.size < 2 && chosen === null) return;
    var group = document.createElement("div");
    group.className = "search-filter";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    group.dataset.searchFilter = name;
    var title = document.createElement("span");
    title.className = "search-filter__label";
    title.textContent = label;
    group.appendChild(title);
    var choices = [[null, self.msg.msgAll, total]];
    // The largest first; equal counts in the index's order.
    Array.from(counts.keys()).sort(function (a, b) { return counts.get(b) - counts.get(a) || a - b; }).forEach(function (k) {
      choices.push([k, labels[k] || "—", counts.get(k)]);
    });
    choices.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "search-filter__choice";
      b.setAttribute("aria-pressed", String(c[0] === chosen));
      b.dataset.value = c[0] === null ? "" : c[0];
      b.textContent = c[1] + " ";
      var n = document.createElement("span");
      n.className = "search-filter__count";
      n.textContent = "(" + c[2] + ")";
      b.appendChild(n);
      b.addEventListener("click", function () {
        self.filter[name] = c[0];
        self.show(++self.seq);
      });
      group.appendChild(b);
    });
    self.filters.appendChild(group);
  };

  function start(root) {
    var nojs = root.querySelector("[data-search-nojs]");
    if (nojs) nojs.hidden = true;
    var page = new Page(root);
    var input = page.input;
    function fromAddress() {
      var q = new URLSearchParams(location.search).get("q") || "";
      input.value = q;
      page.filter = { kind: null, section: null };
      page.run(q);
    }
    // The address follows the query, so that the back button and a
    // shared link work; searching again keeps what was fetched.
    function remember(push) {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    }
    page.form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(typing);
      remember(true);
      page.filter = { kind: null, section: null };
      page.run(input.value);
    });
    // Results follow the typing, once it pauses.
    var typing = 0;
    input.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        remember(false);
        page.filter = { kind: null, section: null };
        page.run(input.value);
      }, 200);
    });
    page.more.addEventListener("click", function () {
      page.showMore(page.seq);
    });
    window.addEventListener("popstate", fromAddress);
    fromAddress();
  }

  window.lanmuSearch = { tokenize: tokenize, queryTokens: queryTokens, shardOf: shardOf, open: open, rank: rank, highlights: highlights };
  var root = document.querySelector("[data-search-index]");
  if (root) start(root);
})();
