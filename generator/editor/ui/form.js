// The form for a page: its fields drawn from the content model the server
// sends (the same model the build checks pages by), the body in CodeMirror
// with a toolbar, and beside it the body as the build's converter renders
// it. Saving sends only the fields that changed, and the body; the server
// writes them into the file the way a person would. The build's problems
// come back under the fields they are about. The syntax is what Chromium
// 86 reads.
(function () {
  "use strict";

  var form = document.getElementById("page-form");
  if (!form) {
    return;
  }
  var ed = window.lanmuEd;
  var L = JSON.parse(form.getAttribute("data-labels"));
  var path = form.getAttribute("data-path");
  var status = document.getElementById("status");
  var save = form.querySelector(".ed__save");
  var fieldsBox = document.getElementById("fields");
  var rareBox = document.getElementById("rare-fields");
  var problems = document.getElementById("problems");
  var problemList = document.getElementById("problem-list");
  var conflict = document.getElementById("conflict");
  var view = document.getElementById("view");
  var data = null; // the form's answer: fields, values, body, offers
  var version = "";
  var savedValues = {}; // by key, as JSON: what the file holds
  var savedBody = "";
  var controls = []; // {field, path, read()} for the top-level fields
  var md = null; // the Markdown editor
  var uid = 0;

  function say(message, ok) {
    ed.say(status, message, ok);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") {
        e.textContent = attrs[k];
      } else {
        e.setAttribute(k, attrs[k]);
      }
    });
    (children || []).forEach(function (c) {
      e.appendChild(c);
    });
    return e;
  }

  // The JSON of a value with keys in order, to compare two.
  function canonical(v) {
    if (Array.isArray(v)) {
      return "[" + v.map(canonical).join(",") + "]";
    }
    if (v && typeof v === "object") {
      return "{" + Object.keys(v).sort().filter(function (k) { return v[k] !== null && v[k] !== undefined; }).map(function (k) {
        return JSON.stringify(k) + ":" + canonical(v[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(v === undefined ? null : v);
  }

  // ---- Fields ----

  // field draws one field at a key path ("tasks.0.due") with its value,
  // and returns {box, read}: read() is its value as the form would save
  // it, null when empty.
  function field(f, keyPath, value) {
    var id = "f" + (++uid);
    var box = el("div", { "class": "ed__field ed__field--" + f.type, "data-key": keyPath });
    var label = el("label", { "for": id, "class": "ed__label" });
    label.appendChild(document.createTextNode(f.label));
    if (f.label !== f.key) {
      label.appendChild(el("span", { "class": "ed__key", text: f.key }));
    }
    if (f.required) {
      label.appendChild(el("span", { "class": "ed__req", text: "*", "aria-hidden": "true" }));
    }
    var read;
    var input;
    switch (f.type) {
    case "longtext":
      input = el("textarea", { id: id, rows: "3" });
      input.value = value == null ? "" : String(value);
      read = function () { return input.value.trim() === "" ? null : input.value; };
      break;
    case "number":
      input = el("input", { id: id, type: "text", inputmode: "numeric", "class": "ed__short" });
      input.value = value == null ? "" : String(value);
      read = function () {
        var v = input.value.trim();
        return v === "" ? null : (/^-?\d+$/.test(v) ? parseInt(v, 10) : v);
      };
      break;
    case "bool":
      input = el("input", { id: id, type: "checkbox" });
      input.checked = value == null ? f["default"] === true : value === true;
      read = function () { return input.checked === (f["default"] === true) ? null : input.checked; };
      box.classList.add("ed__field--inline");
      break;
    case "date":
      input = dateInput(id, value);
      read = input.read;
      input = input.input;
      break;
    case "choice":
      input = el("select", { id: id });
      input.appendChild(el("option", { value: "", text: "—" }));
      f.choices.forEach(function (c) {
        input.appendChild(el("option", { value: c.value, text: c.label === c.value ? c.value : c.label + "（" + c.value + "）" }));
      });
      if (value != null && !f.choices.some(function (c) { return c.value === value; })) {
        input.appendChild(el("option", { value: String(value), text: String(value) }));
      }
      input.value = value == null ? "" : String(value);
      read = function () { return input.value === "" ? null : input.value; };
      break;
    case "tags":
    case "list":
      var chips = chipInput(id, value, f.type === "tags" ? suggestionsFor(f.key) : []);
      input = chips.box;
      read = chips.read;
      break;
    case "teachers":
      var pick = teacherPicker(id, value);
      input = pick.box;
      read = pick.read;
      label = el("span", { "class": "ed__label", id: id + "-label" }, Array.prototype.slice.call(label.childNodes));
      input.setAttribute("aria-labelledby", id + "-label");
      break;
    case "photo":
      var photo = photoField(id, value);
      input = photo.box;
      read = photo.read;
      break;
    case "group":
      var group = groupField(f, keyPath, value);
      input = group.box;
      read = group.read;
      label = el("h2", { "class": "ed__label ed__label--group" }, Array.prototype.slice.call(label.childNodes));
      break;
    case "record":
      var rec = recordField(f, keyPath, value);
      input = rec.box;
      read = rec.read;
      label = el("span", { "class": "ed__label" }, Array.prototype.slice.call(label.childNodes));
      break;
    default:
      input = el("input", { id: id, type: "text" });
      input.value = value == null ? "" : String(value);
      read = function () { return input.value.trim() === "" ? null : input.value; };
      if (f.key === "deck") {
        input.setAttribute("list", datalist(data.decks));
      }
      if (f.key === "section") {
        input.setAttribute("list", datalist(data.sections));
      }
    }
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(el("p", { "class": "ed__field-error", hidden: "" }));
    return { box: box, read: read };
  }

  var lists = 0;
  function datalist(options) {
    var id = "dl" + (++lists);
    var dl = el("datalist", { id: id });
    options.forEach(function (o) {
      dl.appendChild(el("option", { value: o }));
    });
    form.appendChild(dl);
    return id;
  }

  function suggestionsFor() {
    return data.tags;
  }

  // A day with the date picker. A moment with a clock (2024-05-01T09:00:00
  // +08:00, 2016-04-22 10:00) keeps its clock when only the day is changed.
  function dateInput(id, value) {
    var text = value == null ? "" : String(value);
    var m = /^(\d{4}-\d{2}-\d{2})([T ].*)?$/.exec(text);
    if (text !== "" && !m) {
      // Not a date the picker can show: the text as written, to mend.
      var raw = el("input", { id: id, type: "text", "class": "ed__short" });
      raw.value = text;
      return { input: raw, read: function () { return raw.value.trim() === "" ? null : raw.value.trim(); } };
    }
    var input = el("input", { id: id, type: "date", "class": "ed__short" });
    input.value = m ? m[1] : "";
    var clock = m && m[2] ? m[2] : "";
    return { input: input, read: function () {
      if (input.value === "") {
        return null;
      }
      return input.value + clock;
    } };
  }

  // Chips for a list of short texts, typed and ended with Enter or a
  // comma, with the site's tags offered as one types.
  function chipInput(id, value, suggestions) {
    var items = Array.isArray(value) ? value.map(String) : [];
    var box = el("div", { "class": "ed__chips" });
    var list = el("ul", { "class": "ed__chip-list" });
    var input = el("input", { id: id, type: "text", "class": "ed__chip-input" });
    if (suggestions.length) {
      input.setAttribute("list", datalist(suggestions));
    }
    function drawChips() {
      list.textContent = "";
      items.forEach(function (item, i) {
        var remove = el("button", { type: "button", "class": "ed__chip-x", "aria-label": L.remove + " " + item, text: "×" });
        remove.addEventListener("click", function () {
          items.splice(i, 1);
          drawChips();
          changed();
        });
        list.appendChild(el("li", { "class": "ed__chip" }, [document.createTextNode(item), remove]));
      });
    }
    function add() {
      input.value.split(/[,，、]/).forEach(function (part) {
        part = part.trim();
        if (part && items.indexOf(part) < 0) {
          items.push(part);
        }
      });
      input.value = "";
      drawChips();
      changed();
    }
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === "," || ev.key === "，") {
        ev.preventDefault();
        add();
      } else if (ev.key === "Backspace" && input.value === "" && items.length) {
        items.pop();
        drawChips();
        changed();
      }
    });
    input.addEventListener("change", function () {
      if (input.value.trim()) {
        add();
      }
    });
    drawChips();
    box.appendChild(list);
    box.appendChild(input);
    // Text typed but not yet ended with Enter counts too; reading it must
    // not make it a chip, or an input method's half-typed word would split.
    return { box: box, read: function () {
      var all = items.slice();
      input.value.split(/[,，、]/).forEach(function (part) {
        part = part.trim();
        if (part && all.indexOf(part) < 0) {
          all.push(part);
        }
      });
      return all.length ? all : null;
    } };
  }

  // The site's teachers to tick as a class's speakers; a name that is no
  // teacher's stays, marked, for the editor to untick.
  function teacherPicker(id, value) {
    var chosen = value == null ? [] : (Array.isArray(value) ? value.map(String) : [String(value)]);
    var box = el("div", { "class": "ed__teachers", role: "group" });
    var boxes = [];
    var all = data.teachers.slice();
    chosen.forEach(function (slug) {
      if (!all.some(function (t) { return t.value === slug; })) {
        all.push({ value: slug, label: slug + " · " + L.notATeacher });
      }
    });
    if (!all.length) {
      box.appendChild(el("p", { "class": "ed__hint", text: L.noTeachers }));
    }
    all.forEach(function (t, i) {
      var cid = id + "-" + i;
      var cb = el("input", { type: "checkbox", id: cid, value: t.value });
      cb.checked = chosen.indexOf(t.value) >= 0;
      boxes.push(cb);
      box.appendChild(el("label", { "for": cid, "class": "ed__teacher" }, [cb, document.createTextNode(" " + t.label + " "), el("span", { "class": "ed__key", text: t.value })]));
    });
    return { box: box, read: function () {
      // In the order first written, then the newly ticked.
      var ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      var out = chosen.filter(function (s) { return ticked.indexOf(s) >= 0; });
      ticked.forEach(function (s) {
        if (out.indexOf(s) < 0) {
          out.push(s);
        }
      });
      return out.length ? out : null;
    } };
  }

  // A teacher's photo: one of the bundle's images, or one uploaded into
  // it, shown as the build resized it once the site is rebuilt.
  function photoField(id, value) {
    var box = el("div", { "class": "ed__photo" });
    var select = el("select", { id: id });
    var img = el("img", { "class": "ed__thumb", alt: "" });
    var note = el("p", { "class": "ed__hint" });
    var upload = el("input", { type: "file", accept: "image/jpeg,image/png,image/gif,image/webp", "class": "ed__upload", "aria-label": L.uploadPhoto });
    function options(current) {
      select.textContent = "";
      select.appendChild(el("option", { value: "", text: "—" }));
      data.files.forEach(function (f) {
        select.appendChild(el("option", { value: f, text: f }));
      });
      if (current && data.files.indexOf(current) < 0) {
        select.appendChild(el("option", { value: current, text: current + " · " + L.missingFile }));
      }
      select.value = current || "";
    }
    function show() {
      var name = select.value;
      if (!name) {
        img.hidden = true;
        note.textContent = "";
        return;
      }
      img.hidden = false;
      // The saved photo: the form's once it is drawn, else the file's.
      var saved = "photo" in savedValues ? savedValues.photo : data.values.photo;
      if (data.photo && name === saved) {
        // The thumbnail the build made, as the site's pages show it.
        img.src = data.photo;
        note.textContent = L.thumbByBuild;
      } else {
        img.src = "raw?path=" + encodeURIComponent(folder() + name);
        note.textContent = L.thumbAfterSave;
      }
    }
    options(value);
    show();
    select.addEventListener("change", show);
    upload.addEventListener("change", function () {
      if (!upload.files.length) {
        return;
      }
      var file = upload.files[0];
      toBundle().then(function () {
        return ed.upload(path, file, file.name);
      }).then(function (a) {
        upload.value = "";
        if (a.status !== 200) {
          say(a.body.error, false);
          return;
        }
        data.files.push(a.body.name);
        options(a.body.name);
        show();
        changed();
      }, function (err) {
        say(String(err), false);
      });
    });
    box.appendChild(select);
    box.appendChild(el("label", { "class": "ed__upload-label" }, [document.createTextNode(L.uploadPhoto + " "), upload]));
    box.appendChild(img);
    box.appendChild(note);
    return { box: box, read: function () { return select.value || null; } };
  }

  // A standard's tasks: records to add, remove and reorder.
  function groupField(f, keyPath, value) {
    var box = el("div", { "class": "ed__group-items" });
    var items = [];
    var list = el("ol", { "class": "ed__records" });
    function redraw() {
      list.textContent = "";
      items.forEach(function (item, i) {
        item.legend.textContent = L.item + " " + (i + 1);
        item.box.setAttribute("data-key", keyPath + "." + i);
        item.fields.forEach(function (c) {
          c.box.setAttribute("data-key", keyPath + "." + i + "." + c.key);
        });
        list.appendChild(item.li);
      });
    }
    function addItem(v) {
      var set = el("fieldset", { "class": "ed__record" });
      var legend = el("legend");
      var grid = el("div", { "class": "ed__record-fields" });
      set.appendChild(legend);
      set.appendChild(grid);
      var item = { li: el("li", {}, [set]), box: set, legend: legend, fields: [] };
      f.fields.forEach(function (sub) {
        var c = field(sub, "", v ? v[sub.key] : null);
        c.key = sub.key;
        item.fields.push(c);
        grid.appendChild(c.box);
      });
      var tools = el("p", { "class": "ed__record-tools" });
      [["up", L.moveUp, -1], ["down", L.moveDown, 1]].forEach(function (b) {
        var btn = el("button", { type: "button", "class": "ed__minor", text: b[1] });
        btn.addEventListener("click", function () {
          var i = items.indexOf(item);
          var j = i + b[2];
          if (j >= 0 && j < items.length) {
            items[i] = items[j];
            items[j] = item;
            redraw();
            changed();
          }
        });
        tools.appendChild(btn);
      });
      var remove = el("button", { type: "button", "class": "ed__minor ed__remove", text: L.removeItem });
      remove.addEventListener("click", function () {
        items.splice(items.indexOf(item), 1);
        redraw();
        changed();
      });
      tools.appendChild(remove);
      set.appendChild(tools);
      items.push(item);
      return item;
    }
    (Array.isArray(value) ? value : []).forEach(function (v) {
      addItem(v && typeof v === "object" ? v : {});
    });
    var add = el("button", { type: "button", "class": "ed__add", text: L.addItem });
    add.addEventListener("click", function () {
      var item = addItem({});
      redraw();
      changed();
      var first = item.box.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
    redraw();
    box.appendChild(list);
    box.appendChild(add);
    return { box: box, read: function () {
      return items.map(function (item) {
        var rec = {};
        item.fields.forEach(function (c) {
          var v = c.read();
          if (v !== null) {
            rec[c.key] = v;
          }
        });
        return rec;
      });
    } };
  }

  // A record inside a record (a task's evidence), folded when empty.
  function recordField(f, keyPath, value) {
    var v = value && typeof value === "object" ? value : {};
    var details = el("details", { "class": "ed__sub" });
    details.open = Object.keys(v).length > 0;
    details.appendChild(el("summary", { text: L.evidenceHelp }));
    var subs = f.fields.map(function (sub) {
      var c = field(sub, "", v[sub.key]);
      c.key = sub.key;
      c.box.setAttribute("data-sub", sub.key);
      details.appendChild(c.box);
      return c;
    });
    return { box: details, read: function () {
      var rec = {};
      subs.forEach(function (c) {
        var x = c.read();
        if (x !== null) {
          rec[c.key] = x;
        }
      });
      return Object.keys(rec).length ? rec : null;
    } };
  }

  // The folder of a bundle page, where its images are.
  function folder() {
    return path.slice(0, path.lastIndexOf("/") + 1);
  }

  // toBundle moves a page of one file into a folder of its own
  // (teachers/wang.md to teachers/wang/index.md), where its images can go,
  // as the SPEC's page bundles have it.
  function toBundle() {
    if (data.bundle) {
      return Promise.resolve();
    }
    var to = path.replace(/\.md$/, "") + "/index.md";
    var body = JSON.stringify({ path: path, to: to, version: version, fixLinks: true });
    return fetch("rename", { method: "POST", headers: { "Content-Type": "application/json" }, body: body }).then(ed.answer).then(function (a) {
      if (a.status !== 200) {
        throw new Error(a.body.error);
      }
      path = to;
      version = a.body.version;
      data.bundle = true;
      form.setAttribute("data-path", to);
      document.getElementById("file-path").textContent = to;
      document.getElementById("raw-link").href = "page?path=" + encodeURIComponent(to) + "&raw=1";
      history.replaceState(null, "", "page?path=" + encodeURIComponent(to));
      say(L.nowBundle + " " + to, true);
    });
  }

  // ---- State ----

  var dirty = false;
  function changed() {
    if (!data) {
      return;
    }
    dirty = changedKeys().length > 0 || (md && md.text() !== savedBody);
    if (dirty) {
      say(form.getAttribute("data-unsaved"), false);
    }
  }

  function currentValues() {
    var out = {};
    controls.forEach(function (c) {
      out[c.key] = c.read();
    });
    return out;
  }

  function changedKeys() {
    var now = currentValues();
    return Object.keys(now).filter(function (k) {
      return canonical(now[k]) !== canonical(savedValues[k]);
    });
  }

  function draw() {
    savedValues = {};
    fieldsBox.querySelectorAll(".ed__field").forEach(function (n) { n.remove(); });
    rareBox.textContent = "";
    controls = [];
    var rare = 0;
    data.fields.forEach(function (f) {
      var c = field(f, f.key, data.values[f.key]);
      c.key = f.key;
      controls.push(c);
      if (f.rare && data.values[f.key] == null) {
        rareBox.appendChild(c.box);
        rare++;
      } else {
        fieldsBox.appendChild(c.box);
      }
    });
    document.getElementById("rare-box").hidden = rare === 0;
    savedValues = currentValues();
  }

  // The heading names the page by its title as typed.
  var heading = document.querySelector(".ed__title");
  function showTitle() {
    var title = controls.filter(function (c) { return c.key === "title"; })[0];
    var text = title && title.read();
    if (text) {
      heading.textContent = text;
      document.title = text;
    }
  }
  form.addEventListener("input", showTitle);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // ---- The body and the view beside it ----

  var viewTimer = 0;
  function renderView() {
    clearTimeout(viewTimer);
    viewTimer = setTimeout(function () {
      fetch("render?path=" + encodeURIComponent(path), { method: "POST", body: md.text() }).then(ed.answer).then(function (a) {
        if (a.status !== 200) {
          return;
        }
        var title = controls.filter(function (c) { return c.key === "title"; })[0];
        var doc = document.implementation.createHTMLDocument("");
        var base = doc.createElement("base");
        base.href = a.body.base || "/";
        doc.head.appendChild(base);
        a.body.styles.forEach(function (href) {
          var link = doc.createElement("link");
          link.rel = "stylesheet";
          link.href = href;
          doc.head.appendChild(link);
        });
        doc.documentElement.lang = document.documentElement.lang;
        var article = doc.createElement("article");
        article.className = "article ed-view";
        var h1 = doc.createElement("h1");
        h1.className = "article__title";
        h1.textContent = title ? (title.read() || "") : "";
        var prose = doc.createElement("div");
        prose.className = "prose";
        prose.innerHTML = a.body.html;
        article.appendChild(h1);
        article.appendChild(prose);
        var main = doc.createElement("main");
        main.className = "main container";
        main.appendChild(article);
        doc.body.appendChild(main);
        view.srcdoc = "<!DOCTYPE html>" + doc.documentElement.outerHTML;
      });
    }, 250);
  }

  // The whole page as the preview shows it, the theme around it: it
  // follows each save, as every preview page does.
  var pageView = document.getElementById("page-view");
  var showText = document.getElementById("show-text");
  var showPage = document.getElementById("show-page");
  function showView(whole) {
    view.hidden = whole;
    pageView.hidden = !whole;
    showText.setAttribute("aria-pressed", String(!whole));
    showPage.setAttribute("aria-pressed", String(whole));
    if (whole && data && data.url && !pageView.getAttribute("src")) {
      pageView.src = data.url;
    }
  }
  showText.addEventListener("click", function () { showView(false); });
  showPage.addEventListener("click", function () { showView(true); });

  var picker = document.getElementById("image");
  var altText = picker.getAttribute("data-alt");
  function insertImage(file, name) {
    return toBundle().then(function () {
      return ed.upload(path, file, name);
    }).then(function (a) {
      if (a.status !== 200) {
        say(a.body.error, false);
        return;
      }
      var ref = ed.imageReference(a.body.name, altText);
      md.insert(ref, [2, 2 + altText.length]);
      changed();
    }, function (err) {
      say(String(err), false);
    });
  }
  picker.addEventListener("change", function () {
    if (picker.files.length > 0) {
      insertImage(picker.files[0], picker.files[0].name).then(function () {
        picker.value = "";
      });
    }
  });

  var actions = {
    h2: function () { md.prefixLines("## ", /^#{1,6}\s+/); },
    h3: function () { md.prefixLines("### ", /^#{1,6}\s+/); },
    bold: function () { md.wrap("**", "**", L.boldText); },
    ul: function () { md.prefixLines("- ", /^(\s*([-*+]|\d+[.)])\s+)/); },
    ol: function () { md.prefixLines("1. ", /^(\s*([-*+]|\d+[.)])\s+)/); },
    quote: function () { md.prefixLines("> ", /^>\s?/); },
    link: function () { openPicker(); },
    image: function () { picker.click(); },
    table: function () {
      var t = "\n| " + L.tableHead + " | " + L.tableHead + " |\n| --- | --- |\n|  |  |\n|  |  |\n";
      md.insert(t, [3, 3 + L.tableHead.length]);
    },
  };
  document.querySelectorAll(".ed__toolbar [data-do]").forEach(function (b) {
    b.addEventListener("click", function () {
      actions[b.getAttribute("data-do")]();
      changed();
    });
  });

  // The link picker: a page of the column, linked by its file, which the
  // build turns into the page's address and checks.
  var dialog = document.getElementById("link-picker");
  var find = document.getElementById("picker-find");
  var pickList = document.getElementById("picker-list");
  function relative(from, to) {
    var a = from.split("/").slice(0, -1);
    var b = to.split("/");
    var i = 0;
    while (i < a.length && i < b.length - 1 && a[i] === b[i]) {
      i++;
    }
    var up = [];
    for (var j = i; j < a.length; j++) {
      up.push("..");
    }
    return up.concat(b.slice(i)).join("/");
  }
  var pickAsked = 0;
  function drawPicks() {
    var asked = ++pickAsked;
    fetch("pick?path=" + encodeURIComponent(path) + "&q=" + encodeURIComponent(find.value), { cache: "no-store" }).then(ed.answer).then(function (a) {
      // Only the answer to the last words typed.
      if (a.status !== 200 || asked !== pickAsked) {
        return;
      }
      pickList.textContent = "";
      a.body.forEach(function (p) {
        var b = el("button", { type: "button", "class": "ed__pick", "data-file": p.file });
        b.appendChild(document.createTextNode(p.title || p.file));
        if (p.draft) {
          b.appendChild(el("span", { "class": "ed__draft", text: L.draft }));
        }
        b.appendChild(el("span", { "class": "ed__key", text: p.file }));
        b.addEventListener("click", function () {
          var target = relative(path, p.file);
          if (/[\s()<>]/.test(target)) {
            target = "<" + target + ">";
          }
          var text = md.selected() || p.title || p.file;
          dialog.close();
          md.insert("[" + text + "](" + target + ")", [1, 1 + text.length]);
          changed();
        });
        pickList.appendChild(el("li", {}, [b]));
      });
    });
  }
  function openPicker() {
    find.value = "";
    drawPicks();
    dialog.showModal();
    find.focus();
  }
  find.addEventListener("input", drawPicks);
  document.getElementById("picker-close").addEventListener("click", function () {
    dialog.close();
  });

  // ---- Problems ----

  function showProblems(saved) {
    var query = "problems?path=" + encodeURIComponent(path) + (saved ? "&version=" + saved : "");
    return fetch(query, { cache: "no-store" }).then(ed.answer).then(function (a) {
      if (a.status !== 200 || (saved && saved !== version)) {
        return;
      }
      form.querySelectorAll(".ed__field-error").forEach(function (p) {
        p.hidden = true;
        p.textContent = "";
        p.parentNode.classList.remove("ed__field--wrong");
      });
      problemList.textContent = "";
      var listed = 0;
      a.body.problems.forEach(function (p) {
        var at = p.field ? fieldBox(p.field) : null;
        if (at) {
          var msg = at.querySelector(":scope > .ed__field-error");
          msg.hidden = false;
          msg.textContent = (msg.textContent ? msg.textContent + "\n" : "") + p.message;
          at.classList.add("ed__field--wrong");
          if (at.closest("details")) {
            at.closest("details").open = true;
          }
          return;
        }
        listed++;
        var item = el("li", { "class": p.warning ? "ed__problem ed__problem--warning" : "ed__problem" });
        var go = el("button", { type: "button", "class": "ed__at", text: p.line > 0 ? p.line + ":" + p.col : path });
        go.addEventListener("click", function () {
          if (p.line >= data.bodyLine) {
            md.selectLine(p.line - data.bodyLine + 1);
          }
        });
        item.appendChild(go);
        item.appendChild(document.createTextNode(" " + p.message));
        problemList.appendChild(item);
      });
      problems.hidden = listed === 0;
    });
  }

  // fieldBox is the drawn field at a key path, or the nearest one that
  // holds it (a problem at tasks.1 shows on the task).
  function fieldBox(key) {
    var parts = key.split(".");
    while (parts.length) {
      var box = form.querySelector('.ed__field[data-key="' + parts.join(".") + '"]');
      if (box) {
        return box;
      }
      // A record's own fields carry data-sub: tasks.0.evidence.min.
      if (parts.length > 1) {
        var parent = form.querySelector('.ed__field[data-key="' + parts.slice(0, -1).join(".") + '"]');
        var sub = parent && parent.querySelector('.ed__field[data-sub="' + parts[parts.length - 1] + '"]');
        if (sub) {
          return sub;
        }
      }
      parts.pop();
    }
    return null;
  }

  // ---- Loading and saving ----

  function load() {
    return fetch("form?path=" + encodeURIComponent(path), { cache: "no-store" }).then(ed.answer).then(function (a) {
      if (a.status !== 200) {
        say(a.body.error, false);
        if (a.status === 422) {
          location.replace("page?path=" + encodeURIComponent(path) + "&raw=1");
        }
        return;
      }
      data = a.body;
      version = data.version;
      draw();
      showTitle();
      // A page the build has not published yet has no whole page to show.
      showPage.hidden = !data.url;
      savedBody = data.body;
      if (!md) {
        md = window.lanmuMarkdown(document.getElementById("markdown"), data.body, function () {
          changed();
          renderView();
        }, document.getElementById("body-title").textContent);
        document.getElementById("markdown").addEventListener("paste", function (ev) {
          var image = ed.pastedImage(ev);
          if (image) {
            ev.preventDefault();
            ev.stopPropagation();
            insertImage(image.file, image.name);
          }
        }, true);
      } else {
        md.setText(data.body);
      }
      dirty = false;
      save.disabled = false;
      say("", true);
      renderView();
      showProblems();
    });
  }

  function submit() {
    if (!data) {
      return;
    }
    var now = currentValues();
    var set = {};
    changedKeys().forEach(function (k) {
      set[k] = now[k];
    });
    ed.put(form, status, "form", { path: path, version: version, set: set, body: md.text() }, function (a) {
      version = a.body.version;
      savedValues = now;
      savedBody = md.text();
      dirty = false;
      showProblems(version).then(refreshFromBuild);
    });
  }

  // After a save's build: the page's address (a new page has one once
  // published) and the photo as the build resized it.
  function refreshFromBuild() {
    fetch("form?path=" + encodeURIComponent(path), { cache: "no-store" }).then(ed.answer).then(function (a) {
      if (a.status !== 200) {
        return;
      }
      data.url = a.body.url;
      showPage.hidden = !data.url;
      if (data.url && !pageView.hidden && pageView.getAttribute("src") !== data.url) {
        pageView.src = data.url;
      }
      if (a.body.photo) {
        data.photo = a.body.photo;
        data.files = a.body.files;
        var img = form.querySelector(".ed__thumb");
        if (img && savedValues.photo) {
          img.src = data.photo;
          img.hidden = false;
          img.nextSibling.textContent = L.thumbByBuild;
        }
      }
    });
  }

  ed.wireSave(form, submit, function () {
    return dirty;
  });
  document.getElementById("use-theirs").addEventListener("click", function () {
    conflict.hidden = true;
    load();
  });
  ed.wireMoves(form, function () { return path; }, function () { return version; }, status, function () {
    dirty = false;
  });

  load();
})();
